"""The KPI panel of a unit (or of the whole city) for a time window, computed in one PostGIS query.

Every figure uses the membership rule of web_map.area_sql and only layers and fields the viewer
may read; a figure about a layer the viewer cannot read is left out, never zeroed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone
from psycopg import sql

from layers.models import AdminUnit, CitizenReport, Detection, Incident, Lodging, Parcel
from layers.registry import Layer, Metric, registry
from layers.vocabularies import REPORT_TRANSITIONS
from spatial.access import Viewer
from web_map.admin_units import Unit
from web_map.area_sql import column, features_in_area, window_params, with_area
from web_map.observations import month_bounds, months_with_data, observed

CLOSED_REPORT_STATUSES = tuple(status for status, nexts in REPORT_TRANSITIONS.items() if not nexts)


def the_layer(model: type) -> Layer:
    """The registry layer publishing `model` (one per model for the KPI models)."""
    return registry.for_model(model)[0]


def ward_layer() -> Layer:
    """The layer of commune-level units: its metrics are the socio-economic indicators."""
    return the_layer(AdminUnit)


@dataclass(frozen=True)
class Request:
    """What a KPI panel is asked for; `indicator` None = the first ward metric, `month` None = its last."""

    viewer: Viewer
    unit: Unit | None
    start: datetime | None
    end: datetime | None
    indicator: Metric | None = None
    month: str | None = None


def _count(layer: Layer) -> sql.Composable:
    return sql.SQL("({})").format(features_in_area(layer, sql.SQL("count(*)")))


def _by_style_field(layer: Layer) -> sql.Composable:
    """{code of the layer's styled field: features in the area and window} as jsonb."""
    return sql.SQL("(SELECT coalesce(jsonb_object_agg(k, n), '{{}}'::jsonb) FROM ({} GROUP BY 1) s)").format(
        features_in_area(layer, sql.SQL("{} AS k, count(*) AS n").format(column(layer, layer.style.by))))


def _reports_overdue(layer: Layer) -> sql.Composable:
    """Reports received in the window that are late: still open (not resolved nor rejected) past
    their due time now, or resolved after their due time."""
    late = sql.SQL(
        "((f.resolved_at IS NULL AND f.status <> ALL({closed}) AND f.due_at < now()) "
        "OR f.resolved_at > f.due_at)").format(closed=sql.Literal(list(CLOSED_REPORT_STATUSES)))
    return sql.SQL("({})").format(features_in_area(layer, sql.SQL("count(*)"), where=late))


def _parcel_area(layer: Layer) -> sql.Composable:
    """{land-use code: [area m², parcels]} of the parcels in the area, as jsonb."""
    select = sql.SQL("{} AS k, sum({}) AS a, count(*) AS n").format(
        column(layer, layer.style.by), column(layer, "area_m2"))
    return sql.SQL("(SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(a, n)), '{{}}'::jsonb) "
                   "FROM ({} GROUP BY 1) s)").format(features_in_area(layer, select))


def _ids_in_area(layer: Layer) -> sql.Composable:
    return features_in_area(layer, sql.SQL("f.id"), timed=False)


def _measures(ask: Request, indicator: Metric) -> dict[str, sql.Composable]:
    """Name → SQL expression of every figure this viewer may see."""
    viewer = ask.viewer
    measures = {f"count:{layer.id}": _count(layer)
                for layer in registry if layer.subsystem != "basemap" and viewer.can_read(layer)}
    extras = (
        (CitizenReport, "status", "reports_overdue", _reports_overdue),
        (Incident, "severity", "incidents_by_severity", _by_style_field),
        (Detection, "object_class", "detections_by_class", _by_style_field),
        (Parcel, "land_use", "parcel_area_by_land_use", _parcel_area),
    )
    for model, field_name, name, expression in extras:
        layer = the_layer(model)
        if field_name in viewer.readable_fields(layer):
            measures[name] = expression(layer)
    lodging = the_layer(Lodging)
    if viewer.can_read(lodging):
        measures["lodging_guests"] = observed(lodging, lodging.metric("guests"), _ids_in_area(lodging))
    wards = ward_layer()
    if viewer.can_read(wards):
        measures["indicator"] = observed(wards, indicator, _ids_in_area(wards), "month_start", "month_end")
    return measures


def _legend_rows(layer: Layer, found: dict[str, list]) -> list[dict]:
    """Parcel area per land use in the legend's order, land uses with parcels only."""
    return [{**term, "area_m2": round(found[term["code"]][0], 1), "parcels": found[term["code"]][1]}
            for term in layer.style.vocabulary.legend() if term["code"] in found]


def _zero_filled(layer: Layer, found: dict[str, int]) -> dict[str, int]:
    return {code: found.get(code, 0) for code in layer.style.vocabulary.codes}


def unit_stats(ask: Request) -> dict:
    """The KPI panel: see web_map.stats_api for its shape."""
    wards = ward_layer()
    indicator = ask.indicator or wards.metrics[0]
    month = ask.month or (months_with_data(wards, indicator) or [None])[-1]
    month_start, month_end = month_bounds(month) if month else (None, None)
    measures = _measures(ask, indicator)
    select = sql.SQL(", ").join(sql.SQL("{} AS {}").format(expression, sql.Identifier(name))
                                for name, expression in measures.items())
    query = with_area(ask.unit.id if ask.unit else None, sql.SQL("SELECT {}").format(select))
    params = {**window_params(ask.start, ask.end), "unit": ask.unit.id if ask.unit else None,
              "today": timezone.localdate(), "month_start": month_start, "month_end": month_end}
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), params)
        row = {name: json.loads(value) if isinstance(value, str) else value  # jsonb arrives as text
               for name, value in zip(measures, cursor.fetchone(), strict=True)}
    return _panel(ask, row, indicator, month)


def _panel(ask: Request, row: dict, indicator: Metric, month: str | None) -> dict:
    panel: dict = {"counts": {name.removeprefix("count:"): value for name, value in row.items()
                              if name.startswith("count:")}}
    if "reports_overdue" in row:
        panel["reports_overdue"] = row["reports_overdue"]
    for name, model in (("incidents_by_severity", Incident), ("detections_by_class", Detection)):
        if name in row:
            panel[name] = _zero_filled(the_layer(model), row[name])
    if "parcel_area_by_land_use" in row:
        panel["parcel_area_by_land_use"] = _legend_rows(the_layer(Parcel), row["parcel_area_by_land_use"])
    if "indicator" in row:
        panel["indicator"] = {"code": indicator.code, "vi": indicator.vi, "en": indicator.en,
                              "unit": indicator.unit, "aggregate": indicator.aggregate, "month": month,
                              "value": row["indicator"]}
    if "lodging_guests" in row:
        panel["lodging_guests"] = int(row["lodging_guests"] or 0)
    return panel
