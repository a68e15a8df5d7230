-- The resources {f} nearest an incident by road travel time (response.nearest): the route starts at the
-- graph vertex nearest the incident and ends at the one nearest each resource (both in the graph's
-- largest connected part, nearest on the ellipsoid among the closest few by the index), costs from
-- pgr_dijkstraCost (one to many), routes from pgr_dijkstra for the ranked ones only.
WITH origin AS (
    SELECT near.{v.id} AS vertex, near.{v.geom} AS geom,
           ST_Distance(near.{v.geom}::geography, ST_GeomFromEWKT(%(point)s)::geography) AS access_m
    FROM (SELECT * FROM {v} WHERE {v.main} ORDER BY {v.geom} <-> ST_GeomFromEWKT(%(point)s)
          LIMIT %(search)s) near
    ORDER BY 3, 1
    LIMIT 1
), candidates AS (
    SELECT f.{f.id} AS id, f.{f.code} AS code, near.vertex, near.access_m
    FROM {f} f
    CROSS JOIN LATERAL (
        SELECT v.{v.id} AS vertex, ST_Distance(v.{v.geom}::geography, f.{f.geom}::geography) AS access_m
        FROM (SELECT * FROM {v} WHERE {v.main} ORDER BY {v.geom} <-> f.{f.geom} LIMIT %(search)s) v
        ORDER BY 2, 1
        LIMIT 1) near
    WHERE {filter}
), costs AS (
    SELECT end_vid AS vertex, agg_cost
    FROM pgr_dijkstraCost(%(edges)s, (SELECT vertex FROM origin),
                          ARRAY(SELECT DISTINCT vertex FROM candidates WHERE vertex <> (SELECT vertex FROM origin)))
    UNION ALL
    SELECT vertex, 0 FROM origin
), ranked AS (
    SELECT c.id, c.code, c.vertex, c.access_m, k.agg_cost,
           row_number() OVER (ORDER BY k.agg_cost, c.code) AS rank
    FROM candidates c JOIN costs k ON k.vertex = c.vertex
    ORDER BY k.agg_cost, c.code
    LIMIT %(limit)s
), paths AS (
    SELECT p.end_vid, p.path_seq, p.node, p.edge
    FROM pgr_dijkstra(%(edges)s, (SELECT vertex FROM origin),
                      ARRAY(SELECT DISTINCT vertex FROM ranked WHERE vertex <> (SELECT vertex FROM origin))) p
    WHERE p.edge <> -1
), routes AS (
    SELECT p.end_vid AS vertex, sum(e.{e.length_m}) AS length_m,
           ST_MakeLine(CASE WHEN p.node = e.{e.source} THEN e.{e.geom} ELSE ST_Reverse(e.{e.geom}) END
                       ORDER BY p.path_seq) AS geom
    FROM paths p JOIN {e} e ON e.{e.id} = p.edge
    GROUP BY p.end_vid
)
SELECT r.rank, r.id, r.agg_cost, coalesce(rt.length_m, 0), r.access_m, ST_AsGeoJSON(rt.geom, 7),
       o.vertex, ST_X(o.geom), ST_Y(o.geom), o.access_m
FROM ranked r
CROSS JOIN origin o
LEFT JOIN routes rt ON rt.vertex = r.vertex
ORDER BY r.rank
