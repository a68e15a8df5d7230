-- silence: the features with nothing from them in the last N minutes; the lateral query finds their last time
SELECT 'feature:' || f.{f.id} AS subject, ST_PointOnSurface(f.{f.geom}) AS pt, NULL::bigint AS ward,
       round(extract(epoch FROM %(now)s - last.at)::numeric / 60)::float AS value,
       ARRAY[f.{f.id}]::bigint[] AS source_ids, {label} AS label, NULL::float AS radius_m, NULL::geometry AS area
FROM {f} f
LEFT JOIN LATERAL ({last}) last ON TRUE
WHERE {filter} AND (last.at IS NULL OR last.at < %(now)s - make_interval(mins => %(silence)s))
