-- stale layer: the layer itself, while it is late for its cadence (judged by layers.freshness, bound as
-- %(stale_late)s), placed at the centre of the communes; the value is the hours since its last update
SELECT 'layer:' || %(stale_layer)s AS subject, ST_SetSRID(ST_Centroid(ST_Extent(u.{u.geom})), 4326) AS pt, NULL::bigint AS ward,
       %(stale_hours)s::float AS value, ARRAY[]::bigint[] AS source_ids, %(stale_label)s::text AS label,
       NULL::float AS radius_m, NULL::geometry AS area
FROM {u} u
WHERE u.{u.level} = 'commune'
HAVING %(stale_late)s
