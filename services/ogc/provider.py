"""The pygeoapi feature provider for registry layers: GeoJSON built in PostGIS, keyset paging.

Differences from pygeoapi's PostgreSQL provider, on purpose:
- the FeatureCollection's features are built by PostgreSQL in one query (json_build_object) and
  parsed once; no ORM objects, no per-row Python;
- `numberMatched` on a first page is exact when PostgreSQL plans counting it cheaply (under
  COUNT_COST), else the planner's estimate, said so by `numberMatchedEstimated: true` (QGIS shows it
  as the layer's feature count); resulttype=hits always counts;
- paging follows the primary key (`cursor` in next links), so a deep page costs what page 1 does;
- an `offset` page in id order finds its first id first (layers.db_hooks' ioc_nth_key: whole
  partitions before it are counted, not merged in id order), then reads only its own rows;
- only the fields the viewer may read exist for it (queryables, properties, sortby, filters).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from django.contrib.gis.geos import Polygon
from django.core.exceptions import EmptyResultSet, FieldError, ValidationError
from django.db import DataError, connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError

from layers.history import as_of_queryset
from layers.registry import registry
from services.ogc import features
from spatial.access import within_units
from spatial.errors import BadRequest
from spatial.params import datetime_interval, whole_number

logger = logging.getLogger(__name__)
DATA_ERROR = ("giá trị không hợp lệ / a value in the filter or the query parameters does not fit its "
              "property (a number too large, text where a number or a date is expected); check them")
COUNT_COST = 2_500.0  # the planner's cost of reading every matched row under which a page counts
# them (about 20 ms: 30,000 parcels cost 800, the demo's 100,000 detections 3,200)
MAX_OFFSET = 2**63 - 1  # PostgreSQL's OFFSET is a bigint; any page past it is past every table's end

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


def _q_fields(filterq: Q | None) -> list[str]:
    """The field names a CQL2 filter (as a Django Q) reads."""
    if filterq is None:
        return []
    found = []
    for child in filterq.children:
        if isinstance(child, Q):
            found += _q_fields(child)
        elif isinstance(child, tuple):
            found.append(str(child[0]).split("__", 1)[0])
    return found


class LayerProvider(BaseProvider):
    """Features of one registry layer, restricted to the fields the viewer may read.

    The definition comes from services.ogc.config: `data` is the layer id, `readable_fields` what
    this configuration's viewers may read. pygeoapi loads it with load_plugin for a single item, the
    queryables and the schema; services.ogc.items calls `query` with what pygeoapi 0.21 cannot pass
    (a CQL2 filter, a keyset cursor, a past moment).
    """

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        self.layer = registry.get(provider_def["data"])
        self.model = self.layer.model_class
        self.geom = self.layer.geometry_field
        self.readable = tuple(provider_def["readable_fields"])
        # the units the configuration's viewers are limited to (spatial.access.Viewer.unit_scope)
        self.unit_scope = provider_def.get("unit_scope")
        # anonymous viewers: the layer's small counts are written as "< 5" and cannot be filtered or sorted on
        self.hide_small = bool(provider_def.get("hide_small_counts")) and self.layer.small_counts is not None
        self._fields = {name: _schema(self.model._meta.get_field(name)) for name in self.readable}

    def get_fields(self) -> dict:
        return self._fields

    # -- building the query -------------------------------------------------------------------
    def _rows(self, as_of: datetime | None = None) -> models.QuerySet:
        """The features this configuration's viewers may see (today's, or as they were at `as_of`)."""
        qs = self.layer.queryset() if as_of is None else as_of_queryset(self.layer, as_of)
        return within_units(self.layer, qs, self.unit_scope)

    def _refuse_hidden(self, names: list[str]) -> None:
        """400 for a filter or an order on a small count hidden from this viewer: its answer would
        give the hidden count back (which features have new_cases = 3)."""
        hidden = [name for name in names if self.hide_small and self.layer.small_counts.covers(name)]
        if hidden:
            marker, below = self.layer.small_counts.marker, self.layer.small_counts.below
            raise ProviderInvalidQueryError(user_msg=(
                f"{hidden[0]}: số dưới {below} hiển thị «{marker}» khi chưa đăng nhập, không lọc hay sắp xếp "
                f"theo trường này được / counts under {below} are shown as '{marker}' unless signed in: "
                f"sign in to filter or sort by {hidden[0]}"))

    def _filtered(self, bbox: list, datetime_: str | None, properties: list, filterq: Q | None,
                  as_of: datetime | None) -> models.QuerySet:
        self._refuse_hidden([name for name, _raw in properties] + _q_fields(filterq))
        qs = self._rows(as_of)
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
        if filterq is not None:
            qs = qs.filter(filterq)
        return qs

    def _names(self, select_properties: list) -> tuple[str, ...]:
        """The properties written: the selected ones the viewer may read, in the layer's order."""
        selected = set(select_properties or self.readable)
        return tuple(name for name in self.readable if name in selected)

    def _page(self, qs: models.QuerySet, ordering: list[str], offset: int, limit: int,
              as_of: datetime | None) -> models.QuerySet:
        """The rows of one page. A deep offset in id order first finds the page's first id from the
        primary-key index alone, then reads only that page (as a cursor page would); over a whole
        table the database function ioc_nth_key finds it, counting whole partitions."""
        if offset > MAX_OFFSET:
            return qs.none()
        if ordering or offset == 0:
            return qs.order_by(*ordering, "pk")[offset : offset + limit]
        if qs.query.where or as_of:
            first = models.Subquery(qs.order_by("pk").values_list("pk", flat=True)[offset : offset + 1])
        else:
            first = RawSQL(
                "SELECT ioc_nth_key(%s::regclass, %s, %s)",
                (self.layer.table, self.model._meta.pk.column, offset),
                output_field=self.model._meta.pk,
            )
        return qs.filter(pk__gte=first).order_by("pk")[:limit]

    def _number_matched(self, qs: models.QuerySet) -> tuple[int, bool]:
        """How many features match, and whether that is PostgreSQL's estimate: exact when the plan
        reading them all costs under COUNT_COST, else the planner's row estimate (no large scan)."""
        try:
            query, params = qs.values("pk").query.sql_with_params()
        except EmptyResultSet:
            return 0, False
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {query}", params)
            plan = cursor.fetchone()[0]
        top = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
        if top["Total Cost"] < COUNT_COST:
            return qs.count(), False
        return int(top["Plan Rows"]), True

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
        filterq: Q | None = None,
        crs_transform_spec: object = None,
        cursor: int | None = None,
        as_of: datetime | None = None,
        **kwargs: object,
    ) -> dict:
        """A FeatureCollection page; on a first page `numberMatched`, estimated when counting would
        cost a large scan.

        Beyond pygeoapi's arguments: `filterq` is the CQL2 filter as a Django Q
        (services.ogc.filters.to_q, names checked against the readable fields), `cursor` the last id
        of the previous page (keyset paging in id order: no sortby, no offset), `as_of` a moment of
        the layer's history to read instead of today. The features are features.RawFeatures, whose
        `last_id` is the next page's cursor.
        """
        try:
            qs = self._filtered(list(bbox), datetime_, list(properties), filterq, as_of)
            if resulttype == "hits":
                return {
                    "type": "FeatureCollection",
                    "features": [],
                    "numberMatched": qs.count(),
                    "numberReturned": 0,
                }
            self._refuse_hidden([s["property"] for s in sortby])
            ordering = [
                ("-" if s["order"] == "-" else "") + self.model._meta.get_field(s["property"]).attname
                for s in sortby
            ]
            if not ordering and offset == 0 and cursor is not None:
                qs = qs.filter(pk__gt=cursor)
            page = self._page(qs, ordering, offset, limit, as_of)
            found = features.features(self.layer, self._names(list(select_properties)), page, skip_geometry,
                                      crs_transform_spec.target_crs_uri if crs_transform_spec else None,
                                      hide_small=self.hide_small)
            result = {"type": "FeatureCollection", "features": found, "numberReturned": len(found),
                      "links": []}
            if as_of:
                result["asOf"] = as_of.isoformat()
            if cursor is None and offset == 0:
                result["numberMatched"], estimated = self._number_matched(qs)
                if estimated:
                    result["numberMatchedEstimated"] = True
            return result
        except DataError:  # PostgreSQL refused a value: say so in the user's terms, not in its own
            logger.info("a query value PostgreSQL refused", exc_info=True)
            raise ProviderInvalidQueryError(user_msg=DATA_ERROR) from None
        except (BadRequest, FieldError, ValueError) as exc:
            raise ProviderInvalidQueryError(user_msg=str(exc)) from None

    def get(self, identifier: str, crs_transform_spec: object = None, **kwargs: object) -> dict:
        """One feature by id, or ProviderItemNotFoundError (404)."""
        if (pk := whole_number(str(identifier))) is None:
            raise ProviderItemNotFoundError(user_msg=f"no feature {identifier!r}: ids are whole numbers")
        crs = crs_transform_spec.target_crs_uri if crs_transform_spec else None
        found = features.features(self.layer, self.readable, self._rows().filter(pk=pk), target_crs_uri=crs,
                                  hide_small=self.hide_small)
        if not found:  # another unit's feature (for unit staff) is as absent as a missing one
            raise ProviderItemNotFoundError(user_msg=f"no feature {identifier} in {self.layer.id}")
        return found[0]
