"""The pygeoapi feature provider for registry layers: GeoJSON built in PostGIS, keyset paging.

Differences from pygeoapi's PostgreSQL provider, on purpose:
- the FeatureCollection's features are built by PostgreSQL in one query (json_build_object) and
  parsed once; no ORM objects, no per-row Python;
- no COUNT on every page: `numberMatched` only when the table is small or for resulttype=hits;
- paging follows the primary key (`cursor` in next links), so a deep page costs what page 1 does;
- an `offset` page in id order finds its first id first (layers.db_hooks' ioc_nth_key: whole
  partitions before it are counted, not merged in id order), then reads only its own rows;
- only the fields the viewer may read exist for it (queryables, properties, sortby, filters).
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

import orjson
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Polygon
from django.core.exceptions import EmptyResultSet, FieldError, ValidationError
from django.db import DataError, connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.adapt import Loader
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError
from pyproj import CRS

from layers.history import as_of_queryset
from layers.registry import registry
from spatial.access import ANONYMOUS, Viewer
from spatial.errors import BadRequest
from spatial.params import datetime_interval, whole_number
from spatial.sql import local_iso

logger = logging.getLogger(__name__)
DATA_ERROR = ("giá trị không hợp lệ / a value in the filter or the query parameters does not fit its "
              "property (a number too large, text where a number or a date is expected); check them")
COUNT_THRESHOLD = 10_000  # tables estimated larger than this get no numberMatched on pages
MAX_OFFSET = 2**63 - 1  # PostgreSQL's OFFSET is a bigint; any page past it is past every table's end


class RawFeatures(Sequence):
    """Features as JSON from PostgreSQL, UTF-8 bytes as they came: written out as they are, parsed
    only when read.

    The patched serialiser (services.ogc.pygeoapi_patches) embeds `text` unparsed, so a page of
    features crosses Python without being decoded and encoded again (copies through str were a
    measurable part of a large page: docs/benchmarks.md).
    """

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


class _Utf8Bytes(Loader):
    """Text as the UTF-8 bytes PostgreSQL sent (the connection's encoding is UTF8), not decoded."""

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


@dataclass
class RequestState:
    """What the view knows that pygeoapi does not pass on: the CQL2 filter and paging context."""

    viewer: Viewer = ANONYMOUS
    filter: Q | None = None
    as_of: datetime | None = None  # the layer as it was then (from its history)
    cursor: int | None = None
    url: str = ""
    params: dict[str, str] = field(default_factory=dict)


REQUEST: contextvars.ContextVar[RequestState] = contextvars.ContextVar("ogc_request")

JSON_TYPES: dict[type[models.Field], dict] = {
    models.BooleanField: {"type": "boolean"},
    models.IntegerField: {"type": "integer"},
    models.FloatField: {"type": "number"},
    models.DateTimeField: {"type": "string", "format": "date-time"},
    models.DateField: {"type": "string", "format": "date"},
    models.ForeignKey: {"type": "integer"},
}


def _schema(model_field: models.Field) -> dict:
    for cls in type(model_field).__mro__:
        if cls in JSON_TYPES:
            schema = dict(JSON_TYPES[cls])
            break
    else:
        schema = {"type": "string"}
    if model_field.choices:
        schema["enum"] = [code for code, _ in model_field.flatchoices]
    schema["title"] = str(model_field.verbose_name)
    return schema


_ESTIMATES: dict[str, tuple[float, float | None]] = {}
ESTIMATE_SECONDS = 60.0


def _estimated_rows(table: str) -> float | None:
    """PostgreSQL's row estimate for a table (summed over partitions), None if never analysed.

    Kept for a minute per process: it is an estimate, and asking on every page costs a round trip.
    """
    now = time.monotonic()
    cached = _ESTIMATES.get(table)
    if cached and now - cached[0] < ESTIMATE_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(reltuples) FILTER (WHERE reltuples >= 0), bool_or(reltuples < 0) "
                       "FROM pg_class WHERE relkind = 'r' AND (oid = %s::regclass OR oid IN "
                       "(SELECT relid FROM pg_partition_tree(%s::regclass)))", [table, table])
        total, unknown = cursor.fetchone()
    estimate = None if unknown or total is None else float(total)
    _ESTIMATES[table] = (now, estimate)
    return estimate


@lru_cache(maxsize=64)
def _axis_flipped(srid: int) -> bool:
    """Whether the CRS lists northing/latitude first (EPSG:4326 does; OGC wants that order)."""
    return CRS.from_epsg(srid).axis_info[0].direction in ("north", "south")


@lru_cache(maxsize=64)
def _coordinate_decimals(srid: int) -> int:
    """Decimals written in GeoJSON: 7 for degrees (about 1 cm), 3 for metres (1 mm)."""
    return 7 if CRS.from_epsg(srid).is_geographic else 3


def _property_sql(layer_id: str, name: str) -> sql.Composable:
    """A property's SQL value in the page statement (times in local ISO 8601)."""
    model_field = registry.get(layer_id).model_class._meta.get_field(name)
    column = sql.SQL("t.{}").format(sql.Identifier(model_field.attname))
    return local_iso(column) if isinstance(model_field, models.DateTimeField) else column


@lru_cache(maxsize=512)
def _page_statement_head(layer_id: str, names: tuple[str, ...], decimals: int | None) -> str:
    """The page statement up to where the ORM's row query goes (then ") t"), composed once: the
    features as one GeoJSON array text, their count and the last id (for the next cursor)."""
    geometry = (sql.SQL("NULL") if decimals is None
                else sql.SQL("ST_AsGeoJSON(t._geometry, {})::json").format(sql.Literal(decimals)))
    properties = sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), _property_sql(layer_id, name)) for name in names
    )
    return sql.SQL(
        "SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', t.pk, "
        "'geometry', {}, 'properties', json_build_object({}))), '[]')::text, count(*), "
        "(array_agg(t.pk))[count(*)] FROM ("
    ).format(geometry, properties).as_string(None)


class LayerProvider(BaseProvider):
    """Features of one registry layer, restricted to the fields the viewer may read."""

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        self.layer = registry.get(provider_def["data"])
        self.model = self.layer.model_class
        self.geom = self.layer.geometry_field
        self.readable = tuple(provider_def["readable_fields"])
        self._fields = {name: _schema(self.model._meta.get_field(name)) for name in self.readable}

    def get_fields(self) -> dict:
        return self._fields

    # -- building the query -------------------------------------------------------------------
    def _filtered(self, bbox: list, datetime_: str | None, properties: list) -> models.QuerySet:
        moment = REQUEST.get(RequestState()).as_of
        qs = self.layer.queryset() if moment is None else as_of_queryset(self.layer, moment)
        if bbox:
            qs = qs.filter(
                **{
                    f"{self.geom}__intersects": Polygon.from_bbox(
                        (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else tuple(bbox)
                    )
                }
            )
        if datetime_ and self.layer.time_field:
            start, end = datetime_interval(datetime_)
            if start:
                qs = qs.filter(**{f"{self.layer.time_field}__gte": start})
            if end:
                qs = qs.filter(**{f"{self.layer.time_field}__lte": end})
        for name, raw in properties:
            model_field = self.model._meta.get_field(name)
            try:
                value = (
                    model_field.target_field.to_python(raw)
                    if model_field.is_relation
                    else model_field.to_python(raw)
                )
            except ValidationError:
                raise ProviderInvalidQueryError(user_msg=f"{name}: {raw!r} is not a valid value") from None
            qs = qs.filter(**{model_field.attname: value})
        state = REQUEST.get(RequestState())
        if state.filter is not None:
            qs = qs.filter(state.filter)
        return qs

    def _columns(self, select_properties: list) -> list[str]:
        names = [n for n in (select_properties or self.readable) if n in self._fields]
        return [self.model._meta.get_field(n).attname for n in names]

    def _geometry(self, crs_transform_spec: object) -> tuple[models.Expression, int]:
        """The geometry to select (reprojected, axes in the CRS's order) and its GeoJSON decimals.

        GeoJSON is made in the outer query, after LIMIT/OFFSET, so skipped rows cost nothing.
        """
        srid = int(crs_transform_spec.target_crs_uri.rsplit("/", 1)[-1]) if crs_transform_spec else 4326
        expression = Transform(self.geom, srid) if srid != 4326 else models.F(self.geom)
        if crs_transform_spec and _axis_flipped(srid):
            expression = models.Func(
                expression, function="ST_FlipCoordinates", output_field=self.model._meta.get_field(self.geom)
            )
        return expression, _coordinate_decimals(srid)

    def _features(
        self, qs: models.QuerySet, attnames: list[str], skip_geometry: bool, crs_transform_spec: object
    ) -> RawFeatures:
        """The page as GeoJSON features, built by PostgreSQL in one statement."""
        decimals = None
        if not skip_geometry:
            expression, decimals = self._geometry(crs_transform_spec)
            qs = qs.annotate(_geometry=expression)
        try:
            inner, params = qs.values(
                "pk", *attnames, *([] if skip_geometry else ["_geometry"])
            ).query.sql_with_params()
        except EmptyResultSet:  # e.g. a negative value for a positive field: nothing can match
            return RawFeatures(b"[]", 0, None)
        names = tuple(n for n in self.readable if self.model._meta.get_field(n).attname in attnames)
        with connection.cursor() as cursor:
            cursor.cursor.adapters.register_loader("text", _Utf8Bytes)  # this cursor only
            cursor.execute(f"{_page_statement_head(self.layer.id, names, decimals)}{inner}) t", params)
            return RawFeatures(*cursor.fetchone())

    def _page(self, qs: models.QuerySet, ordering: list[str], offset: int, limit: int) -> models.QuerySet:
        """The rows of one page. A deep offset in id order first finds the page's first id from the
        primary-key index alone, then reads only that page (as a cursor page would); over a whole
        table the database function ioc_nth_key finds it, counting whole partitions."""
        if offset > MAX_OFFSET:
            return qs.none()
        if ordering or offset == 0:
            return qs.order_by(*ordering, "pk")[offset : offset + limit]
        if qs.query.where or REQUEST.get(RequestState()).as_of:
            first = models.Subquery(qs.order_by("pk").values_list("pk", flat=True)[offset : offset + 1])
        else:
            first = RawSQL(
                "SELECT ioc_nth_key(%s::regclass, %s, %s)",
                (self.layer.table, self.model._meta.pk.column, offset),
                output_field=self.model._meta.pk,
            )
        return qs.filter(pk__gte=first).order_by("pk")[:limit]

    def _number_matched(self, qs: models.QuerySet) -> int | None:
        """An exact count when the table is known to be small; None (omitted) otherwise."""
        estimate = _estimated_rows(self.layer.table)
        if estimate is None or estimate >= COUNT_THRESHOLD:
            return None
        return qs.count()

    # -- pygeoapi's contract ------------------------------------------------------------------
    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list = (),
        datetime_: str | None = None,
        properties: list = (),
        sortby: list = (),
        select_properties: list = (),
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: object = None,
        crs_transform_spec: object = None,
        **kwargs: object,
    ) -> dict:
        """A FeatureCollection page; `numberMatched` only when it costs no large scan."""
        try:
            qs = self._filtered(list(bbox), datetime_, list(properties))
            if resulttype == "hits":
                return {
                    "type": "FeatureCollection",
                    "features": [],
                    "numberMatched": qs.count(),
                    "numberReturned": 0,
                }
            state = REQUEST.get(RequestState())
            ordering = [
                ("-" if s["order"] == "-" else "") + self.model._meta.get_field(s["property"]).attname
                for s in sortby
            ]
            keyset = not ordering and offset == 0
            if keyset and state.cursor is not None:
                qs = qs.filter(pk__gt=state.cursor)
            page = self._page(qs, ordering, offset, limit)
            features = self._features(
                page, self._columns(list(select_properties)), skip_geometry, crs_transform_spec
            )
            result = {
                "type": "FeatureCollection",
                "features": features,
                "numberReturned": len(features),
                "links": [],
            }
            if state.as_of:
                result["asOf"] = state.as_of.isoformat()
            if state.cursor is None and offset == 0 and (matched := self._number_matched(qs)) is not None:
                result["numberMatched"] = matched
            if keyset and len(features) == limit and state.url:
                params = {**state.params, "cursor": features.last_id}
                result["links"].append(
                    {
                        "rel": "next",
                        "type": "application/geo+json",
                        "title": "Trang sau / next page",
                        "href": f"{state.url}?{urlencode(params)}",
                    }
                )
            return result
        except DataError:  # PostgreSQL refused a value: say so in the user's terms, not in its own
            logger.info("a query value PostgreSQL refused", exc_info=True)
            raise ProviderInvalidQueryError(user_msg=DATA_ERROR) from None
        except (BadRequest, FieldError, ValueError) as exc:
            raise ProviderInvalidQueryError(user_msg=str(exc)) from None

    def one(self, pk: int, crs_transform_spec: object = None) -> dict | None:
        """One feature by primary key, or None."""
        features = self._features(
            self.layer.queryset().filter(pk=pk), self._columns([]), False, crs_transform_spec
        )
        return features[0] if features else None

    def get(self, identifier: str, crs_transform_spec: object = None, **kwargs: object) -> dict:
        """One feature by id, or ProviderItemNotFoundError (404)."""
        if (pk := whole_number(str(identifier))) is None:
            raise ProviderItemNotFoundError(user_msg=f"no feature {identifier!r}: ids are whole numbers")
        feature = self.one(pk, crs_transform_spec)
        if feature is None:
            raise ProviderItemNotFoundError(user_msg=f"no feature {identifier} in {self.layer.id}")
        return feature
