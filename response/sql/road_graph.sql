-- The routable graph of the roads layer, rebuilt whole (response.road_graph.refresh): statements run in
-- order, in one transaction. Parameters: snap (degrees: an end closer than this to another road joins
-- it), speeds (jsonb: road class -> km/h), edges_geom and edges_cost (the edges as pgRouting reads them).
--
-- 1. the road pieces, each end within the snap of another road joined to it, in a scratch table with an
--    index (to find the road each noded edge lies on)
DROP TABLE IF EXISTS pg_temp.response_road_pieces;

CREATE TEMP TABLE response_road_pieces ON COMMIT DROP AS
WITH parts AS (
    SELECT r.{r.id} AS road_id, r.{r.road_class} AS road_class, d.geom
    FROM {r} r, ST_Dump(r.{r.geom}) d
    WHERE NOT ST_IsEmpty(d.geom)
), ends AS (
    SELECT ST_StartPoint(geom) AS p FROM parts UNION ALL SELECT ST_EndPoint(geom) FROM parts
)
SELECT road_id, road_class,
       coalesce(ST_Snap(geom, (SELECT ST_Collect(e.p) FROM ends e
                               WHERE ST_DWithin(e.p, parts.geom, %(snap)s) AND NOT ST_Intersects(e.p, parts.geom)),
                        %(snap)s), geom) AS geom
FROM parts;

CREATE INDEX ON response_road_pieces USING gist (geom);

ANALYZE response_road_pieces;

DELETE FROM {v};

DELETE FROM {e};

-- 2. the pieces noded at each crossing and junction; each edge of the class of the fastest road it lies
--    on, its cost in seconds at that class's speed
WITH noded AS (
    SELECT (ST_Dump(ST_Node(ST_Collect(geom)))).geom AS geom FROM response_road_pieces
), classed AS (
    SELECT n.geom, best.road_id, best.road_class, ST_Length(n.geom::geography) AS length_m,
           (%(speeds)s::jsonb ->> best.road_class)::float8 / 3.6 AS speed_ms
    FROM noded n
    CROSS JOIN LATERAL (
        SELECT s.road_id, s.road_class
        FROM response_road_pieces s
        WHERE ST_DWithin(s.geom, ST_LineInterpolatePoint(n.geom, 0.5), %(snap)s)
        ORDER BY (%(speeds)s::jsonb ->> s.road_class)::float8 DESC, s.road_id
        LIMIT 1) best
    WHERE ST_Length(n.geom) > 0
)
INSERT INTO {e} ({e.road_id}, {e.road_class}, {e.length_m}, {e.cost_s}, {e.reverse_cost_s}, {e.geom})
SELECT road_id, road_class, length_m, length_m / speed_ms, length_m / speed_ms, geom
FROM classed;

DROP TABLE response_road_pieces;

-- 3. the junctions and ends, and each edge's source and target among them
INSERT INTO {v} ({v.id}, {v.component}, {v.main}, {v.geom})
SELECT id, 0, false, geom FROM pgr_extractVertices(%(edges_geom)s);

WITH starts AS (SELECT id, unnest(out_edges) AS edge FROM pgr_extractVertices(%(edges_geom)s))
UPDATE {e} e SET {e.source} = starts.id FROM starts WHERE e.{e.id} = starts.edge;

WITH finishes AS (SELECT id, unnest(in_edges) AS edge FROM pgr_extractVertices(%(edges_geom)s))
UPDATE {e} e SET {e.target} = finishes.id FROM finishes WHERE e.{e.id} = finishes.edge;

-- 4. connected parts; routes start and end in the largest one
UPDATE {v} v SET {v.component} = c.component
FROM pgr_connectedComponents(%(edges_cost)s) c WHERE v.{v.id} = c.node;

UPDATE {v} SET {v.main} = ({v.component} = (
    SELECT {v.component} FROM {v} GROUP BY {v.component} ORDER BY count(*) DESC, {v.component} LIMIT 1));
