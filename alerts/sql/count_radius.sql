-- count by radius: clusters of at least N events of the window each within R m of another
-- (DBSCAN in Web Mercator, the distance stretched by the events' mean latitude)
WITH events AS (
    SELECT e.{e.id} AS id, e.{e.geom} AS geom
    FROM {e} e
    WHERE e.{e.time} > %(since)s AND e.{e.time} <= %(now)s AND {filter}
), stretch AS (
    SELECT 1 / cos(radians(avg(ST_Y(geom)))) AS k FROM events
), clustered AS (
    SELECT id, geom, ST_ClusterDBSCAN(ST_Transform(geom, 3857), eps := %(radius)s * (SELECT k FROM stretch),
                                      minpoints := %(min_count)s) OVER () AS cluster
    FROM events
), groups AS (
    SELECT array_agg(id ORDER BY id) AS ids, ST_Collect(geom) AS geoms, ST_Centroid(ST_Collect(geom)) AS centre
    FROM clustered WHERE cluster IS NOT NULL GROUP BY cluster
)
SELECT 'cluster:' || ids[1] AS subject, centre AS pt, NULL::bigint AS ward, cardinality(ids)::float AS value,
       ids AS source_ids, NULL::text AS label,
       greatest(50, ceil((SELECT max(ST_Distance(centre::geography, d.geom::geography)) FROM ST_Dump(geoms) d)))
           AS radius_m,
       NULL::geometry AS area
FROM groups
