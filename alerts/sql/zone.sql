-- zone: each event of the window (a camera zone intrusion, a dwell) is a subject of its own
SELECT 'event:' || e.{e.id} AS subject, e.{e.geom} AS pt, NULL::bigint AS ward, NULL::float AS value,
       ARRAY[e.{e.id}]::bigint[] AS source_ids, {label} AS label, NULL::float AS radius_m, NULL::geometry AS area
FROM {e} e
WHERE e.{e.time} > %(since)s AND e.{e.time} <= %(now)s AND {filter}
