-- The commune rule of 0008_commune_at.sql, written once more as a set-returning function that the
-- planner inlines into a LATERAL join, for callers that place many rows at once (an import's points):
--   ... LEFT JOIN LATERAL ioc_commune_holding(p.geom, p.day) c ON true
-- A scalar call of ioc_commune_at runs its query once per row (a million points: three times as
-- long as the join). ioc_commune_at now asks this function, so the rule stays in one place.
-- Not STRICT: PostgreSQL inlines only non-strict set-returning SQL functions (a NULL place or day
-- matches no unit and gives no row, as before). Installed by migration layers/0019_commune_holding.
-- Frozen: change it in a new file loaded by a new migration.
CREATE OR REPLACE FUNCTION ioc_commune_holding(place geometry, day date) RETURNS TABLE (id bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT u.id
    FROM layers_adminunit u
   WHERE u.level = 'commune'
     AND u.valid_from <= day AND (u.valid_to IS NULL OR u.valid_to > day)
     AND ST_Intersects(u.geom, ST_PointOnSurface(place))
   ORDER BY u.id
   LIMIT 1
$$;

CREATE OR REPLACE FUNCTION ioc_commune_at(place geometry, day date) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT c.id FROM ioc_commune_holding(place, day) c
$$;
