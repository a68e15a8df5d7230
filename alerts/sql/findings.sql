-- What every kind's query answers, one row per subject whose condition holds now (alerts.conditions):
-- the subject's key, its point and ward (on the local day of now), the value, the source features,
-- a label, the circle's radius and the polygon of the CAP area (either may be NULL); the body is the kind's query.
SELECT q.subject, ST_X(q.pt), ST_Y(q.pt), w.{u.id}, w.{u.name}, q.value, q.source_ids, q.label, q.radius_m,
       ST_AsEWKT(q.area)
FROM ({body}) q
LEFT JOIN {u} w ON w.{u.id} = coalesce(q.ward, {commune})
ORDER BY q.subject
