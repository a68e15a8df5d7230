-- count by ward: the wards with at least N events of the window
WITH events AS (
    SELECT e.{e.id} AS id, {ward} AS ward
    FROM {e} e
    WHERE e.{e.time} > %(since)s AND e.{e.time} <= %(now)s AND {filter}
), groups AS (
    SELECT ward, array_agg(id ORDER BY id) AS ids
    FROM events WHERE ward IS NOT NULL GROUP BY ward HAVING count(*) >= %(min_count)s
)
SELECT 'ward:' || g.ward AS subject, ST_PointOnSurface(u.{u.geom}) AS pt, g.ward AS ward,
       cardinality(g.ids)::float AS value, g.ids AS source_ids, NULL::text AS label, NULL::float AS radius_m,
       ST_Multi(ST_SimplifyPreserveTopology(u.{u.geom}, 0.0002)) AS area
FROM groups g JOIN {u} u ON u.{u.id} = g.ward
