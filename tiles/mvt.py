"""SQL for Mapbox Vector Tiles: ST_AsMVT over ST_TileEnvelope with an indexed bbox test.

One sub-query per layer; several layers are concatenated into one tile (as Martin does). The
attributes are those the viewer may read (spatial.access), values are always bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from psycopg import sql

from layers.registry import Layer
from spatial.sql import local_iso
from tiles.grid import Tile

EXTENT = 4096
BUFFER = 64


@dataclass(frozen=True)
class TileFilter:
    """What narrows a tile: a closed time window on the layer's time field, and a ward."""

    start: datetime | None = None
    end: datetime | None = None
    ward_id: int | None = None


def _attribute(layer: Layer, name: str) -> sql.Composable:
    field = layer.model_class._meta.get_field(name)
    column = sql.SQL("t.{}").format(sql.Identifier(field.column))
    if isinstance(field, models.DateTimeField):
        value = local_iso(column)
    elif isinstance(field, models.DateField):
        value = sql.SQL("{}::text").format(column)
    else:
        value = column
    return sql.SQL("{} AS {}").format(value, sql.Identifier(name))


def layer_query(layer: Layer, fields: tuple[str, ...], tile: Tile,
                where: TileFilter) -> tuple[sql.Composable, list[object]]:
    """The SQL (and its parameters) giving one MVT layer of `tile` for `layer`."""
    model = layer.model_class
    geom = sql.Identifier(model._meta.get_field(layer.geometry_field).column)
    conditions = [sql.SQL("t.{geom} && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), 4326)")
                  .format(geom=geom)]
    params: list[object] = [tile.z, tile.x, tile.y, BUFFER / EXTENT]
    for name, value in layer.filter.items():
        conditions.append(sql.SQL("t.{} = %s").format(sql.Identifier(model._meta.get_field(name).column)))
        params.append(value)
    if layer.time_field and (where.start or where.end):
        time_column = sql.Identifier(model._meta.get_field(layer.time_field).column)
        if where.start:
            conditions.append(sql.SQL("t.{} >= %s").format(time_column))
            params.append(where.start)
        if where.end:
            conditions.append(sql.SQL("t.{} <= %s").format(time_column))
            params.append(where.end)
    if where.ward_id is not None:
        conditions.append(sql.SQL(
            "ST_Intersects(t.{}, (SELECT geom FROM layers_adminunit WHERE id = %s))").format(geom))
        params.append(where.ward_id)
    attributes = [_attribute(layer, name) for name in fields]
    # a fixed order makes the same data give the same bytes (stable ETags); newest first under the cap
    order = sql.SQL(" ORDER BY t.id")
    if layer.time_field:
        order = sql.SQL(" ORDER BY t.{} DESC, t.id").format(
            sql.Identifier(model._meta.get_field(layer.time_field).column))
    query = sql.SQL(
        "(SELECT coalesce(ST_AsMVT(q, %s, {extent}, 'geom', 'id'), ''::bytea) FROM ("
        "SELECT t.id, {attrs}ST_AsMVTGeom(ST_Transform(t.{geom}, 3857), "
        "ST_TileEnvelope(%s, %s, %s), {extent}, {buffer}, true) AS geom "
        "FROM {table} t WHERE {conditions}{order} LIMIT {cap}) q WHERE q.geom IS NOT NULL)"
    ).format(
        extent=sql.Literal(EXTENT), buffer=sql.Literal(BUFFER), geom=geom,
        attrs=sql.SQL("").join(sql.SQL("{}, ").format(a) for a in attributes),
        table=sql.Identifier(model._meta.db_table),
        conditions=sql.SQL(" AND ").join(conditions), order=order,
        cap=sql.Literal(layer.style.max_features),
    )
    return query, [layer.id, tile.z, tile.x, tile.y, *params]


def tile_query(parts: list[tuple[Layer, tuple[str, ...]]], tile: Tile,
               where: TileFilter) -> tuple[sql.Composable, list[object]]:
    """One tile holding several layers: their MVT layers concatenated (below min zoom: none)."""
    queries, params = [], []
    for layer, fields in parts:
        if tile.z < layer.style.min_zoom:
            continue
        query, layer_params = layer_query(layer, fields, tile, where)
        queries.append(query)
        params.extend(layer_params)
    if not queries:
        return sql.SQL("SELECT ''::bytea"), []
    return sql.SQL("SELECT {}").format(sql.SQL(" || ").join(queries)), params
