"""GeoJSON features of a registry layer, written by PostgreSQL in one statement, and their serialiser.

The page's features are built in SQL (json_build_object, ST_AsGeoJSON after LIMIT/OFFSET, so skipped
rows cost nothing) and cross Python as the UTF-8 bytes PostgreSQL sent: `to_json` embeds them
unparsed, unless something read them as objects first (HTML, JSON-LD, CSV).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import orjson
from django.contrib.gis.db.models.functions import Transform
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.adapt import Loader
from pyproj import CRS

from layers.registry import Layer, registry
from spatial.sql import local_iso


class RawFeatures(Sequence):
    """Features as JSON from PostgreSQL, UTF-8 bytes as they came: written out as they are, parsed
    only when read (for a 0.5 MB page of parcels, three copies through str cost 1.3 ms)."""

    def __init__(self, text: bytes, count: int, last_id: int | None) -> None:
        self.text, self.count, self.last_id = text, count, last_id
        self._parsed: list[dict] | None = None

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> dict:
        return self.parsed[index]

    def __setitem__(self, index: int, feature: dict) -> None:
        """Replace a feature (pygeoapi's JSON-LD output rewrites them); the page is then written
        from the parsed features."""
        self.parsed[index] = feature

    @property
    def as_written(self) -> bytes | None:
        """The features as PostgreSQL wrote them, or None once something has read them as objects."""
        return self.text if self._parsed is None else None

    @property
    def parsed(self) -> list[dict]:
        if self._parsed is None:
            self._parsed = orjson.loads(self.text)
        return self._parsed


def _default(value: object) -> object:
    if isinstance(value, RawFeatures):  # as PostgreSQL wrote them, unless something rewrote them
        return value.parsed if value.as_written is None else orjson.Fragment(value.as_written)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(document: dict, pretty: bool = False) -> bytes:
    """A document holding RawFeatures as UTF-8 JSON (what pygeoapi.util.to_json writes, with orjson)."""
    option = orjson.OPT_INDENT_2 if pretty else 0
    return orjson.dumps(document, default=_default, option=option | orjson.OPT_NON_STR_KEYS)


class _Utf8Bytes(Loader):
    """Text as the UTF-8 bytes PostgreSQL sent (the connection's encoding is UTF8), not decoded."""

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


@lru_cache(maxsize=64)
def _axis_flipped(srid: int) -> bool:
    """Whether the CRS lists northing/latitude first (EPSG:4326 does; OGC wants that order)."""
    return CRS.from_epsg(srid).axis_info[0].direction in ("north", "south")


@lru_cache(maxsize=64)
def _coordinate_decimals(srid: int) -> int:
    """Decimals written in GeoJSON: 7 for degrees (about 1 cm), 3 for metres (1 mm)."""
    return 7 if CRS.from_epsg(srid).is_geographic else 3


def _column(layer: Layer, name: str) -> sql.Composable:
    return sql.SQL("t.{}").format(sql.Identifier(layer.model_class._meta.get_field(name).attname))


def _property_sql(layer_id: str, name: str, hide_small: bool = False) -> sql.Composable:
    """A property's SQL value in the page statement (times in local ISO 8601; with `hide_small`, a
    small count as the layer's SmallCounts shows it to anonymous users: "< 5")."""
    layer = registry.get(layer_id)
    if hide_small and layer.small_counts and layer.small_counts.covers(name):
        return layer.small_counts.sql_value(name, lambda field: _column(layer, field))
    model_field = layer.model_class._meta.get_field(name)
    column = _column(layer, name)
    return local_iso(column) if isinstance(model_field, models.DateTimeField) else column


@lru_cache(maxsize=512)
def _statement_head(layer_id: str, names: tuple[str, ...], decimals: int | None,
                    hide_small: bool = False) -> str:
    """The page statement up to where the ORM's row query goes (then ") t"), composed once: the
    features as one GeoJSON array text, their count and the last id (for the next cursor)."""
    geometry = (sql.SQL("NULL") if decimals is None
                else sql.SQL("ST_AsGeoJSON(t._geometry, {})::json").format(sql.Literal(decimals)))
    properties = sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), _property_sql(layer_id, name, hide_small))
        for name in names
    )
    return sql.SQL(
        "SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', t.pk, "
        "'geometry', {}, 'properties', json_build_object({}))), '[]')::text, count(*), "
        "(array_agg(t.pk))[count(*)] FROM ("
    ).format(geometry, properties).as_string(None)


def _geometry(layer: Layer, target_crs_uri: str | None) -> tuple[models.Expression, int]:
    """The geometry to select (reprojected, axes in the CRS's order) and its GeoJSON decimals."""
    srid = int(target_crs_uri.rsplit("/", 1)[-1]) if target_crs_uri else 4326
    expression = Transform(layer.geometry_field, srid) if srid != 4326 else models.F(layer.geometry_field)
    if target_crs_uri and _axis_flipped(srid):
        expression = models.Func(expression, function="ST_FlipCoordinates",
                                 output_field=layer.model_class._meta.get_field(layer.geometry_field))
    return expression, _coordinate_decimals(srid)


def features(layer: Layer, names: Sequence[str], rows: models.QuerySet, skip_geometry: bool = False,
             target_crs_uri: str | None = None, hide_small: bool = False) -> RawFeatures:
    """The features of `rows` with the properties `names` (in that order), their geometry in
    `target_crs_uri` (an EPSG URI; None: CRS84), built by PostgreSQL in one statement; `hide_small`:
    the layer's small counts as anonymous users get them (layers.registry.SmallCounts)."""
    names = tuple(names)
    hide_small = hide_small and layer.small_counts is not None
    read = (*names, *layer.small_counts.fields) if hide_small else names  # a rate's count is read too
    attnames = list(dict.fromkeys(layer.model_class._meta.get_field(name).attname for name in read))
    decimals = None
    if not skip_geometry:
        expression, decimals = _geometry(layer, target_crs_uri)
        rows = rows.annotate(_geometry=expression)
    try:
        inner, params = rows.values("pk", *attnames, *([] if skip_geometry else ["_geometry"])
                                    ).query.sql_with_params()
    except EmptyResultSet:  # e.g. a negative value for a positive field: nothing can match
        return RawFeatures(b"[]", 0, None)
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("text", _Utf8Bytes)  # this cursor only
        cursor.execute(f"{_statement_head(layer.id, names, decimals, hide_small)}{inner}) t", params)
        return RawFeatures(*cursor.fetchone())


def feature(layer: Layer, names: Sequence[str], pk: int, target_crs_uri: str | None = None) -> dict | None:
    """One stored feature by primary key with the properties `names`, or None."""
    found = features(layer, names, layer.queryset().filter(pk=pk), target_crs_uri=target_crs_uri)
    return found[0] if found else None
