-- threshold: the features whose last N values of a metric in the window all compare to the threshold
WITH recent AS (
    SELECT o.{o.feature_id} AS feature_id, o.{o.value} AS value, o.{o.observed_at} AS observed_at,
           row_number() OVER (PARTITION BY o.{o.feature_id} ORDER BY o.{o.observed_at} DESC) AS n
    FROM {o} o
    WHERE o.{o.layer} = %(layer)s AND o.{o.metric} = %(metric)s
      AND o.{o.observed_at} > %(since)s AND o.{o.observed_at} <= %(now)s
), held AS (
    SELECT feature_id, count(*) AS readings, bool_and(value {comparison} %(threshold)s) AS holds,
           (array_agg(value ORDER BY observed_at DESC))[1] AS last_value
    FROM recent WHERE n <= %(readings)s GROUP BY feature_id
)
SELECT 'feature:' || f.{f.id} AS subject, ST_PointOnSurface(f.{f.geom}) AS pt, NULL::bigint AS ward,
       held.last_value AS value, ARRAY[f.{f.id}]::bigint[] AS source_ids, {label} AS label,
       NULL::float AS radius_m, NULL::geometry AS area
FROM held JOIN {f} f ON f.{f.id} = held.feature_id
WHERE held.readings = %(readings)s AND held.holds AND {filter}
