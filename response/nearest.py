"""The resources nearest an incident by road: travel time over the routable graph of the roads layer
(pgRouting, response/sql/nearest.sql), with each one's road distance and route."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import connection
from psycopg import sql

from layers.db_hooks import layer_filter
from layers.identifiers import names
from layers.models import Incident
from response import road_graph
from response.models import RoadEdge, RoadVertex
from response.resources import ResourceKind
from response.sql_text import read

SEARCH = 16  # the vertices nearest by the index among which the nearest on the ellipsoid is taken


@dataclass(frozen=True)
class Origin:
    """The graph vertex a route starts from, and how far it is from the incident (metres)."""

    vertex: int
    lon: float
    lat: float
    access_m: float


@dataclass(frozen=True)
class Reached:
    """A resource reached by road: its rank, feature id, travel time (s) and road distance (m) from the
    origin vertex, how far it stands from its own vertex (m), its route as GeoJSON (None: the same
    vertex as the incident's)."""

    rank: int
    feature_id: int
    travel_s: float
    distance_m: float
    access_m: float
    route: dict | None


def _query(kind: ResourceKind) -> str:
    layer = kind.layer
    extra = [sql.SQL("f.{} = {}").format(sql.Identifier(layer.model_class._meta.get_field(name).column),
                                         sql.Literal(value)) for name, value in kind.filter.items()]
    where = sql.SQL(" AND ").join([layer_filter(layer, "f"), *extra])
    identifiers = {**names(layer.model_class, "f"), **names(RoadVertex, "v"), **names(RoadEdge, "e")}
    return sql.SQL(read("nearest.sql")).format(filter=where, **identifiers).as_string(None)


def nearest(incident: Incident, kind: ResourceKind, limit: int) -> tuple[Origin | None, list[Reached]]:
    """The `limit` resources of `kind` nearest `incident` by travel time (ties by code), each reachable
    from it, and the vertex the routes start from; (None, []) when none is reachable."""
    road_graph.refresh()
    point = Point(incident.geom.x, incident.geom.y, srid=4326)
    params = {"point": point.ewkt, "search": SEARCH, "limit": limit, "edges": road_graph.edges_sql("cost")}
    with connection.cursor() as cursor:
        cursor.execute(_query(kind), params)
        rows = cursor.fetchall()
    if not rows:
        return None, []
    vertex, lon, lat, access = rows[0][6:]
    reached = [Reached(rank, fid, float(cost), float(length), float(access_m),
                       json.loads(route) if route else None)
               for rank, fid, cost, length, access_m, route, *_origin in rows]
    return Origin(vertex, lon, lat, float(access)), reached
