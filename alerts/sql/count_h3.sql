-- count by H3 cell: the cells holding at least N events of the window (found by alerts.conditions from
-- count_h3_events.sql), each with its centre and its hexagon as the CAP polygon
SELECT 'h3:' || c.cell AS subject, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS pt, NULL::bigint AS ward,
       c.n::float AS value, string_to_array(c.ids, ',')::bigint[] AS source_ids, NULL::text AS label,
       NULL::float AS radius_m, ST_Multi(ST_GeomFromText(c.hexagon, 4326)) AS area
FROM unnest(%(h3_cells)s::text[], %(h3_lons)s::float8[], %(h3_lats)s::float8[], %(h3_counts)s::int[],
            %(h3_ids)s::text[], %(h3_hexagons)s::text[]) AS c(cell, lon, lat, n, ids, hexagon)
