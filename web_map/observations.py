"""SQL over layers.Observation: a registry metric combined over time and features (sum or avg)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from psycopg import sql

from layers.models import Observation
from layers.registry import Layer, Metric
from spatial.errors import BadRequest
from spatial.params import LOCAL_TZ

AGGREGATES = {"sum": sql.SQL("sum"), "avg": sql.SQL("avg")}  # Metric.aggregate → SQL function
OBSERVATIONS = sql.Identifier(Observation._meta.db_table)


def metric_json(layer: Layer, metric: Metric) -> dict:
    """What the map shows of a metric: labels, unit, period and how values combine."""
    return {"layer": layer.id, "code": metric.code, "vi": metric.vi, "en": metric.en, "unit": metric.unit,
            "unit_en": metric.unit_en or metric.unit, "period": metric.period, "aggregate": metric.aggregate}


def metric_of(layer: Layer, code: str) -> Metric:
    """The layer's metric `code`; 400 naming the metrics it has when there is none."""
    try:
        return layer.metric(code)
    except KeyError:
        known = ", ".join(m.code for m in layer.metrics) or "none"
        raise BadRequest(f"indicator/metric: «{code}» không phải chỉ số của lớp «{layer.title_vi}»; "
                         f"các chỉ số: {known}",
                         f"indicator/metric {code!r} is not a metric of layer {layer.id!r}; "
                         f"its metrics: {known}") from None


def month_bounds(text: str) -> tuple[datetime, datetime]:
    """The first and the last instant (local time) of month 'YYYY-MM'; 400 if it is not one."""
    try:
        first = datetime.strptime(text, "%Y-%m").replace(tzinfo=LOCAL_TZ)
    except ValueError:
        raise BadRequest(f"month: «{text}» không phải một tháng; dùng YYYY-MM, ví dụ 2026-09",
                         f"month: {text!r} is not a month; use YYYY-MM, e.g. 2026-09") from None
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(microseconds=1)


def observed(layer: Layer, metric: Metric, features: sql.Composable | None = None,
             since: str = "start", until: str = "end") -> sql.Composable:
    """The SQL expression: `metric` of `layer` aggregated over %(since)s..%(until)s (inclusive, NULL =
    open) and over the features whose ids `features` selects (all when None)."""
    among = sql.SQL(" AND o.feature_id IN ({})").format(features) if features is not None else sql.SQL("")
    return sql.SQL(
        "(SELECT {agg}(o.value) FROM {obs} o WHERE o.layer = {layer} AND o.metric = {metric} "
        "AND o.period = {period} AND o.observed_at >= coalesce({since}::timestamptz, '-infinity') "
        "AND o.observed_at <= coalesce({until}::timestamptz, 'infinity'){among})"
    ).format(agg=AGGREGATES[metric.aggregate], obs=OBSERVATIONS, layer=sql.Literal(layer.id),
             metric=sql.Literal(metric.code), period=sql.Literal(metric.period),
             since=sql.Placeholder(since), until=sql.Placeholder(until), among=among)


def per_feature(layer: Layer, metric: Metric, start: datetime | None,
                end: datetime | None) -> dict[int, float]:
    """{feature id: `metric` aggregated over the window} for every feature observed in it."""
    query = sql.SQL(
        "SELECT o.feature_id, {agg}(o.value) FROM {obs} o "
        "WHERE o.layer = %(layer)s AND o.metric = %(metric)s "
        "AND o.period = %(period)s AND o.observed_at >= coalesce(%(start)s::timestamptz, '-infinity') "
        "AND o.observed_at <= coalesce(%(end)s::timestamptz, 'infinity') GROUP BY 1 ORDER BY 1"
    ).format(agg=AGGREGATES[metric.aggregate], obs=OBSERVATIONS)
    params = {"layer": layer.id, "metric": metric.code, "period": metric.period, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), params)
        return dict(cursor.fetchall())


def months_with_data(layer: Layer, metric: Metric) -> list[str]:
    """The local months ('YYYY-MM') in which `metric` of `layer` has values, oldest first."""
    query = sql.SQL(
        "SELECT DISTINCT to_char(observed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') FROM {obs} "
        "WHERE layer = %(layer)s AND metric = %(metric)s ORDER BY 1"
    ).format(obs=OBSERVATIONS)
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), {"layer": layer.id, "metric": metric.code})
        return [row[0] for row in cursor.fetchall()]


def values_by_feature_in_month(layer: Layer, metric: Metric, month: str) -> list[dict]:
    """[{unit_id, code, name, value}] of `metric` for month 'YYYY-MM', one per feature of `layer`
    (e.g. each commune for the ward choropleth), by name."""
    first, last = month_bounds(month)
    query = sql.SQL(
        "SELECT f.id, f.code, f.name, {agg}(o.value) FROM {obs} o JOIN {table} f ON f.id = o.feature_id "
        "WHERE o.layer = %(layer)s AND o.metric = %(metric)s AND o.period = %(period)s "
        "AND o.observed_at BETWEEN %(first)s AND %(last)s GROUP BY 1, 2, 3 ORDER BY 3, 1"
    ).format(agg=AGGREGATES[metric.aggregate], obs=OBSERVATIONS, table=sql.Identifier(layer.table))
    params = {"layer": layer.id, "metric": metric.code, "period": metric.period, "first": first, "last": last}
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), params)
        return [{"unit_id": fid, "code": code, "name": name, "value": value}
                for fid, code, name, value in cursor.fetchall()]
