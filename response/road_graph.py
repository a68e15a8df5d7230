"""The routable graph of the roads layer for pgRouting: edges (road pieces between junctions, with their
travel time in seconds by the speed of their road class) and vertices (junctions and ends).

The graph is rebuilt whole, in one transaction, from response/sql/road_graph.sql whenever the roads or
the speeds differ from those it was built from (a signature of every road's id and version, and of
ROAD_SPEEDS_KMH): `refresh()` is called before each route query, so an edit of the roads layer
(the editing API, an import, QGIS) is routed on at the next query, and `refresh(force=True)` rebuilds
at load. Every crossing of two roads is a junction (the roads layer has no levels or bridges over
roads); roads are two-way.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from layers.identifiers import names
from layers.models import Road
from response.models import RoadEdge, RoadGraph, RoadVertex
from response.sql_text import read

logger = logging.getLogger(__name__)

# Free-flow speed (km/h) of each road class (layers.vocabularies.ROAD_CLASS) for emergency travel in the
# city: DOMAIN, the demo's own choice (urban limits of Thông tư 38/2024/TT-BGTVT are 50–60 km/h on
# arterials; alleys are slow). A change rebuilds the graph at the next query.
ROAD_SPEEDS_KMH: dict[str, float] = {
    "national": 60.0,
    "provincial": 50.0,
    "urban_main": 40.0,
    "urban": 30.0,
    "alley": 15.0,
}
SNAP_DEGREES = 1e-6  # about 0.1 m: a road end this close to another road joins it
LOCK = "response.road_graph"  # the advisory lock one rebuild holds


@dataclass(frozen=True)
class GraphState:
    """What the graph was built from and when."""

    signature: str
    built_at: datetime
    edges: int
    vertices: int
    build_ms: float


def edges_sql(*columns: str) -> str:
    """The edges as pgRouting reads them: `SELECT id, source, target, cost, reverse_cost` (columns
    "cost"), or `SELECT id, geom` (columns "geom")."""
    e = names(RoadEdge, "e")
    wanted = {
        "cost": sql.SQL("{id}, {source} AS source, {target} AS target, {cost} AS cost, "
                        "{reverse} AS reverse_cost").format(
            id=e["e.id"], source=e["e.source"], target=e["e.target"], cost=e["e.cost_s"],
            reverse=e["e.reverse_cost_s"]),
        "geom": sql.SQL("{id}, {geom} AS geom").format(id=e["e.id"], geom=e["e.geom"]),
    }
    return sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(wanted[c] for c in columns),
                                               e["e"]).as_string(None)


@cache
def _statements() -> list[str]:
    body = read("road_graph.sql")
    identifiers = {**names(Road, "r"), **names(RoadEdge, "e"), **names(RoadVertex, "v")}
    return [sql.SQL(statement).format(**identifiers).as_string(None) for statement in body.split(";")
            if statement.strip()]


def _signature(cursor: object) -> str:
    """md5 of the roads (id:version of each) and the speeds the graph is built with."""
    r = names(Road, "r")
    query = sql.SQL("SELECT md5(coalesce(string_agg({id}::text || ':' || {version}::text, ',' "
                    "ORDER BY {id}), '') || %s) FROM {r}").format(id=r["r.id"], version=r["r.version"],
                                                                  r=r["r"])
    cursor.execute(query.as_string(None), [json.dumps(ROAD_SPEEDS_KMH, sort_keys=True)])
    return cursor.fetchone()[0]


def _state(record: RoadGraph | None) -> GraphState | None:
    if record is None:
        return None
    return GraphState(record.signature, record.built_at, record.edges, record.vertices, record.build_ms)


def current() -> GraphState | None:
    """The graph as last built (None: never built)."""
    return _state(RoadGraph.objects.order_by("pk").first())


def _build(cursor: object, signature: str) -> GraphState:
    started = time.perf_counter()
    params = {"snap": SNAP_DEGREES, "speeds": json.dumps(ROAD_SPEEDS_KMH),
              "edges_geom": edges_sql("geom"), "edges_cost": edges_sql("cost")}
    for statement in _statements():
        cursor.execute(statement, params)
    elapsed = (time.perf_counter() - started) * 1000
    record = RoadGraph.objects.order_by("pk").first() or RoadGraph()
    record.signature, record.built_at, record.build_ms = signature, timezone.now(), elapsed
    record.edges, record.vertices = RoadEdge.objects.count(), RoadVertex.objects.count()
    record.save()
    logger.info("road graph rebuilt: %d edges, %d vertices in %.0f ms", record.edges, record.vertices,
                elapsed)
    return _state(record)


def refresh(force: bool = False) -> GraphState:
    """The graph, rebuilt first if the roads or speeds changed since it was built (or if `force`); one
    rebuild at a time (an advisory lock), the others wait for it and use it."""
    with transaction.atomic(), connection.cursor() as cursor:
        state = current()
        if not force and state is not None and state.signature == _signature(cursor):
            return state
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [LOCK])
        signature, state = _signature(cursor), current()  # as the rebuild before ours left them
        if force or state is None or state.signature != signature:
            state = _build(cursor, signature)
        return state
