"""The KPI panel of a unit (or of the whole city) for a time window, computed in one PostGIS query.

Every figure is declared in the registry (a layer's `kpis`, see layers.registry.Kpi) and uses the
membership rule of web_map.area_sql and only layers and fields the viewer may read; a figure about
a layer or field the viewer cannot read is left out, never zeroed. A viewer limited to some units
(unit staff) counts only their units' features. Besides the declared figures:
the number of features of every layer in the area (`counts`) and the indicator of the month.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone
from psycopg import sql

from layers.registry import Kpi, Layer, Metric, registry
from spatial.access import Viewer
from web_map.admin_units import Unit
from web_map.area_sql import column, features_in_area, window_params, with_area
from web_map.observations import month_bounds, months_with_data, observed

BASEMAP = "basemap"


def counted_layers(layers: list[Layer]) -> list[Layer]:
    """The layers whose features a view's count adds up (the panel title's "N shown"): never a layer
    drawn as a density of another's features (H3 cells), and when the view has events in time (a time
    field), only those: cameras, detections and H3 rows are not one kind of thing to add."""
    drawn = [layer for layer in layers if "density" not in layer.style.renderers] or layers
    events = [layer for layer in drawn if layer.time_field]
    return events or drawn


def ward_layer() -> Layer:
    """The layer of the socio-economic indicators: the first area layer with monthly metrics."""
    return next(layer for layer in registry if layer.geometry_type.endswith("Polygon")
                and any(metric.period == "month" for metric in layer.metrics))


@dataclass(frozen=True)
class Request:
    """What a KPI panel is asked for; `indicator` None = the first ward metric, `month` None = its last."""

    viewer: Viewer
    unit: Unit | None
    start: datetime | None
    end: datetime | None
    indicator: Metric | None = None
    month: str | None = None


def late(layer: Layer, alias: str = "f") -> sql.Composable:
    """The layer's deadline rule (layers.registry.Deadline) in SQL: still open past its due time
    now, or done after it. The map draws the same rule from /api/layers (enhance.js overdueRule)."""
    deadline, workflow = layer.deadline, layer.workflow
    due, done = column(layer, deadline.due, alias), column(layer, deadline.done, alias)
    rule = "(({done} IS NULL AND {status} <> ALL({closed}) AND {due} < now()) OR {done} > {due})"
    return sql.SQL(rule).format(done=done, due=due, status=column(layer, workflow.field, alias),
                                closed=sql.Literal(list(workflow.closed)))


def kpi_fields(layer: Layer, kpi: Kpi) -> set[str]:
    """The fields a KPI reads (the viewer must be able to read them all)."""
    fields = {kpi.by} if kpi.by else set()
    if kpi.kind in ("sum", "mean"):
        fields.add(kpi.field)
    if kpi.kind == "overdue":
        fields |= {layer.workflow.field, layer.deadline.due, layer.deadline.done}
    if kpi.kind in ("on_time", "median_hours"):
        fields |= {layer.deadline.due, layer.deadline.done}
    if kpi.statuses:
        fields.add(layer.workflow.field)
    return fields


def unit_limit(layer: Layer, viewer: Viewer) -> sql.Composable | None:
    """The units the viewer is limited to on `layer` (Viewer.unit_scope) as a condition on its
    features `f`, their ids bound as %(units_<layer id>)s; None when it is not limited."""
    if viewer.unit_scope(layer) is None:
        return None
    return sql.SQL("{} = ANY({})").format(column(layer, layer.unit_field),
                                          sql.Placeholder(f"units_{layer.id}"))


def unit_params(viewer: Viewer) -> dict[str, list[int]]:
    """The values of unit_limit's placeholders, for every layer the viewer is limited on."""
    return {f"units_{layer.id}": sorted(scope) for layer in registry
            if (scope := viewer.unit_scope(layer)) is not None}


def _both(*conditions: sql.Composable | None) -> sql.Composable | None:
    given = [condition for condition in conditions if condition is not None]
    return sql.SQL(" AND ").join(given) if given else None


def kpi_sql(layer: Layer, kpi: Kpi, limit: sql.Composable | None = None) -> sql.Composable:
    """One declared figure as an SQL expression (jsonb when grouped `by` a field), over the features
    `limit` (a condition on `f`) keeps."""
    if kpi.kind == "metric":
        return observed(layer, layer.metric(kpi.field), _ids_in_area(layer, limit))
    where = late(layer) if kpi.kind == "overdue" else None
    if kpi.statuses:
        status = column(layer, layer.workflow.field)
        where = sql.SQL("{} AND {} = ANY({})").format(where or sql.SQL("TRUE"), status,
                                                    sql.Literal(list(kpi.statuses)))
    where = _both(where, limit)
    value = _value(layer, kpi)
    if kpi.by is None:
        return sql.SQL("({})").format(features_in_area(layer, value, where=where))
    select = sql.SQL("{} AS k, {} AS v, count(*) AS n").format(column(layer, kpi.by), value)
    return sql.SQL("(SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(v, n)), '{{}}'::jsonb) "
                   "FROM ({} GROUP BY 1) s)").format(features_in_area(layer, select, where=where))


def _value(layer: Layer, kpi: Kpi) -> sql.Composable:
    """The aggregate a KPI takes over the features in the area and window."""
    if kpi.kind in ("sum", "mean"):
        return sql.SQL("sum({})" if kpi.kind == "sum" else "avg({})").format(column(layer, kpi.field))
    if kpi.kind in ("on_time", "median_hours"):
        due, done = column(layer, layer.deadline.due), column(layer, layer.deadline.done)
        if kpi.kind == "on_time":
            return sql.SQL("avg(CASE WHEN {done} <= {due} THEN 1.0 ELSE 0.0 END) FILTER (WHERE {done} IS NOT "
                           "NULL)").format(done=done, due=due)
        start = column(layer, layer.time_field)
        return sql.SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM {done} - {start}) "
                       "/ 3600) FILTER (WHERE {done} IS NOT NULL)").format(done=done, start=start)
    return sql.SQL("count(*)")


def _ids_in_area(layer: Layer, limit: sql.Composable | None = None) -> sql.Composable:
    return features_in_area(layer, sql.SQL("f.id"), timed=False, where=limit)


def readable_kpis(viewer: Viewer) -> list[tuple[Layer, Kpi]]:
    """The declared figures this viewer may see: of layers it reads, over fields it reads."""
    return [(layer, kpi) for layer in registry if viewer.can_read(layer) for kpi in layer.kpis
            if kpi_fields(layer, kpi) <= set(viewer.readable_fields(layer))]


def _measures(ask: Request, indicator: Metric) -> dict[str, sql.Composable]:
    """Name → SQL expression of every figure this viewer may see."""
    viewer = ask.viewer
    measures = {f"count:{layer.id}": sql.SQL("({})").format(
                    features_in_area(layer, sql.SQL("count(*)"), where=unit_limit(layer, viewer)))
                for layer in registry if layer.subsystem != BASEMAP and viewer.can_read(layer)}
    measures |= {f"kpi:{kpi.code}": kpi_sql(layer, kpi, unit_limit(layer, viewer))
                 for layer, kpi in readable_kpis(viewer)}
    wards = ward_layer()
    if viewer.can_read(wards):
        measures["indicator"] = observed(wards, indicator, _ids_in_area(wards), "month_start", "month_end")
    return measures


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
              "today": timezone.localdate(), "month_start": month_start, "month_end": month_end,
              **unit_params(ask.viewer)}
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), params)
        row = {name: json.loads(value) if isinstance(value, str) else value  # jsonb arrives as text
               for name, value in zip(measures, cursor.fetchone(), strict=True)}
    return _panel(ask, row, indicator, month)


def figure(layer: Layer, kpi: Kpi, value: object) -> object:
    """A declared figure as /api/stats gives it: a number; grouped by a coded field, every code of
    its vocabulary with its count (`count`) or, for sums, the legend rows that have features."""
    if kpi.by is None:
        return number(value)
    found = value or {}
    codes = _codes(layer, kpi.by)
    if kpi.kind == "count":
        return {code: found.get(code, [0, 0])[1] for code in codes} | \
            {code: pair[1] for code, pair in found.items() if code not in codes}
    legend = {term["code"]: term for term in _legend(layer, kpi.by)}
    return [{**legend.get(code, {"code": code}), "value": round(float(found[code][0] or 0), 1),
             "count": found[code][1]} for code in [*codes, *sorted(set(found) - set(codes))] if code in found]


def shown_to(viewer: Viewer, layer: Layer, kpi: Kpi, figure: object) -> object:
    """A figure as `viewer` gets it: for anonymous viewers a sum of the layer's small counts from 1 to 4
    is "< 5", a larger one rounded to 5 (layers.registry.SmallCounts.shown_sum; grouped `by` a field,
    each group's sum); the rest as it is."""
    small = layer.small_counts
    if small is None or not viewer.is_anonymous or kpi.kind != "sum" or kpi.field not in small.fields:
        return figure
    if isinstance(figure, list):
        return [{**row, "value": small.shown_sum(row["value"])} for row in figure]
    return small.shown_sum(figure)


def number(value: object) -> int | float | None:
    """A figure as JSON: a whole number as an int; None stays None (a share or a median of nothing)."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _legend(layer: Layer, field_name: str) -> list[dict]:
    if field_name == layer.style.by and layer.style.vocabulary is not None:
        return layer.style.vocabulary.legend()
    field = layer.model_class._meta.get_field(field_name)
    return [{"code": str(code), "vi": str(label), "en": str(label)} for code, label in field.flatchoices]


def _codes(layer: Layer, field_name: str) -> list[str]:
    return [term["code"] for term in _legend(layer, field_name)]


def _panel(ask: Request, row: dict, indicator: Metric, month: str | None) -> dict:
    panel: dict = {"counts": {name.removeprefix("count:"): value for name, value in row.items()
                              if name.startswith("count:")}}
    for layer, kpi in readable_kpis(ask.viewer):
        panel[kpi.code] = shown_to(ask.viewer, layer, kpi, figure(layer, kpi, row[f"kpi:{kpi.code}"]))
    if "indicator" in row:
        panel["indicator"] = {"code": indicator.code, "vi": indicator.vi, "en": indicator.en,
                              "unit": indicator.unit, "unit_en": indicator.unit_en or indicator.unit,
                              "aggregate": indicator.aggregate, "month": month,
                              "value": row["indicator"]}
    return panel
