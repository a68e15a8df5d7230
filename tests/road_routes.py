"""A plain pgRouting query over the routable road graph (response.road_graph's tables): the resources
of a kind nearest a point by travel time, the reference the nearest-resource answers are checked
against (tests/response, the wall's browser test)."""

from __future__ import annotations

from django.db import connection

EDGES = "SELECT id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM response_roadedge"
PLAIN = """
WITH start AS (
    SELECT v.id FROM response_roadvertex v WHERE v.main
    ORDER BY ST_Distance(v.geom::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography), v.id
    LIMIT 1),
targets AS (
    SELECT f.code, (SELECT v.id FROM response_roadvertex v WHERE v.main
                    ORDER BY ST_Distance(v.geom::geography, f.geom::geography), v.id LIMIT 1) AS vertex
    FROM {table} f WHERE {where})
SELECT t.code, c.agg_cost
FROM targets t
JOIN pgr_dijkstraCost(%(edges)s, (SELECT id FROM start), ARRAY(SELECT vertex FROM targets)) c
  ON c.end_vid = t.vertex
ORDER BY c.agg_cost, t.code
LIMIT %(limit)s
"""
RESOURCES = {"health": ("layers_healthfacility", "TRUE"),
             "police": ("response_emergencystation", "service = 'police'"),
             "fire": ("response_emergencystation", "service = 'fire'")}


def plain_pgrouting(kind: str, lon: float, lat: float, limit: int) -> list[tuple[str, float]]:
    table, where = RESOURCES[kind]
    with connection.cursor() as cursor:
        cursor.execute(PLAIN.format(table=table, where=where),
                       {"lon": lon, "lat": lat, "edges": EDGES, "limit": limit})
        return cursor.fetchall()
