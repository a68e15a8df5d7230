"""SQL for Mapbox Vector Tiles: ST_AsMVT over ST_TileEnvelope with an indexed bbox test.

One sub-query per layer; several layers are concatenated into one tile (as Martin does). The
attributes are those the viewer may read (spatial.access), values are always bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db import models
from psycopg import sql

from layers.identifiers import names
from layers.models import AdminUnit
from layers.registry import Layer, registry
from spatial.sql import local_iso
from tiles.grid import Tile

EXTENT = 4096
BUFFER = 64


@dataclass(frozen=True)
class TileFilter:
    """What narrows a tile: a closed time window on the layer's time field, a ward, and for viewers
    limited to some responsible units (spatial.access.Viewer.unit_scope), each such layer with the
    ids of those units (only their features are drawn)."""

    start: datetime | None = None
    end: datetime | None = None
    ward_id: int | None = None
    units: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def units_of(self, layer_id: str) -> tuple[int, ...] | None:
        """The units `layer_id` is limited to in this tile, or None when it is not limited."""
        return dict(self.units).get(layer_id)


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


@dataclass(frozen=True)
class _Shape:
    """What the SQL text of one MVT layer depends on (values are bound separately)."""

    layer_id: str
    fields: tuple[str, ...]
    has_start: bool
    has_end: bool
    has_ward: bool
    has_units: bool = False
    hide_small: bool = False  # anonymous viewers: small counts as "< 5" (layers.registry.SmallCounts)


def _small_counts(layer: Layer, fields: tuple[str, ...]) -> sql.Composable:
    """The layer's small counts among `fields` as anonymous users get them, in one jsonb column, whose
    keys ST_AsMVT writes as attributes, each with its own type: 7 stays a number, 3 becomes "< 5" in
    the same column; a rate whose count is hidden is left out (null)."""
    model = layer.model_class

    def column(name: str) -> sql.Composable:
        return sql.SQL("t.{}").format(sql.Identifier(model._meta.get_field(name).column))

    pairs = sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), layer.small_counts.sql_value(name, column))
        for name in fields)
    return sql.SQL("jsonb_strip_nulls(jsonb_build_object({})) AS small_counts").format(pairs)


@lru_cache(maxsize=512)
def _layer_sql(shape: _Shape) -> sql.Composable:
    layer = registry.get(shape.layer_id)
    model = layer.model_class
    geom = sql.Identifier(model._meta.get_field(layer.geometry_field).column)
    conditions = [sql.SQL("t.{geom} && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), 4326)")
                  .format(geom=geom)]
    for name in layer.filter:
        conditions.append(sql.SQL("t.{} = %s").format(sql.Identifier(model._meta.get_field(name).column)))
    if layer.time_field:
        time_column = sql.Identifier(model._meta.get_field(layer.time_field).column)
        if shape.has_start:
            conditions.append(sql.SQL("t.{} >= %s").format(time_column))
        if shape.has_end:
            conditions.append(sql.SQL("t.{} <= %s").format(time_column))
    if shape.has_ward:
        conditions.append(sql.SQL(
            "ST_Intersects(t.{geom}, (SELECT {unit.geom} FROM {unit} WHERE {unit.id} = %s))").format(
            geom=geom, **names(AdminUnit, "unit")))
    if shape.has_units:
        unit = sql.Identifier(model._meta.get_field(layer.unit_field).column)
        conditions.append(sql.SQL("t.{} = ANY(%s)").format(unit))
    hidden = tuple(name for name in shape.fields
                   if shape.hide_small and layer.small_counts and layer.small_counts.covers(name))
    attributes = [_attribute(layer, name) for name in shape.fields if name not in hidden]
    if hidden:
        attributes.append(_small_counts(layer, hidden))
    # a fixed order makes the same data give the same bytes (stable ETags); newest first under the cap
    order = sql.SQL(" ORDER BY t.id")
    if layer.time_field:
        order = sql.SQL(" ORDER BY t.{} DESC, t.id").format(
            sql.Identifier(model._meta.get_field(layer.time_field).column))
    return sql.SQL(
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


def _layer_params(layer: Layer, tile: Tile, where: TileFilter) -> list[object]:
    """The bound values of _layer_sql, in the order of its placeholders."""
    params: list[object] = [layer.id, tile.z, tile.x, tile.y, tile.z, tile.x, tile.y, BUFFER / EXTENT]
    params.extend(layer.filter.values())
    if layer.time_field:
        params.extend(value for value in (where.start, where.end) if value)
    if where.ward_id is not None:
        params.append(where.ward_id)
    if (units := where.units_of(layer.id)) is not None:
        params.append(list(units))
    return params


@lru_cache(maxsize=512)
def _tile_sql(shapes: tuple[_Shape, ...]) -> str:
    """The SQL text of a tile with these layers, composed once per shape and kept."""
    if not shapes:
        return "SELECT ''::bytea"
    query = sql.SQL("SELECT {}").format(sql.SQL(" || ").join(_layer_sql(shape) for shape in shapes))
    return query.as_string(None)


def tile_sql(parts: Sequence[tuple[Layer, tuple[str, ...]]], z: int, where: TileFilter,
             hide_small: bool = False) -> tuple[str, tuple[Layer, ...]]:
    """The SQL text of a tile at zoom `z` holding several layers, and the layers it draws (those
    whose min zoom `z` reaches), whose values `tile_params` gives; `hide_small`: for an anonymous
    viewer (small counts as "< 5")."""
    drawn = tuple((layer, fields) for layer, fields in parts if z >= layer.style.min_zoom)
    shapes = tuple(_Shape(layer.id, tuple(fields), where.start is not None, where.end is not None,
                          where.ward_id is not None, where.units_of(layer.id) is not None,
                          hide_small and layer.small_counts is not None)
                   for layer, fields in drawn)
    return _tile_sql(shapes), tuple(layer for layer, _ in drawn)


def tile_params(drawn: Sequence[Layer], tile: Tile, where: TileFilter) -> list[object]:
    """The bound values of `tile_sql`'s text for one tile, in the order of its placeholders."""
    return [value for layer in drawn for value in _layer_params(layer, tile, where)]


def tile_query(parts: Sequence[tuple[Layer, tuple[str, ...]]], tile: Tile,
               where: TileFilter) -> tuple[str, list[object]]:
    """The SQL text and parameters of one tile holding several layers (below min zoom: none)."""
    query, drawn = tile_sql(parts, tile.z, where)
    return query, tile_params(drawn, tile, where)
