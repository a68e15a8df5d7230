"""Where a rule's condition holds at a moment: one Finding per subject (a feature, a cluster, a ward, an
event), found by one SQL query per kind (alerts/sql/*.sql) over the layers the rule names.

Tables and columns come from the registry's models (psycopg.sql.Identifier); the rule's values are bound
parameters. `find(rule, now)` never reads anything later than `now`, so a test's frozen clock and a
benchmark's history give the answer the live platform would have given then.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection
from psycopg import sql

from alerts.rules import link_field, problems
from alerts.vocabularies import COMPARISONS
from layers.communes import commune_at, local_day
from layers.db_hooks import event_label_field, layer_filter
from layers.freshness import freshness
from layers.identifiers import names
from layers.models import AdminUnit, Observation
from layers.registry import Layer, registry
from spatial.h3_cells import cell_of, cell_wkt, centre

if TYPE_CHECKING:
    from alerts.models import AlertRule

logger = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent / "sql"


class RuleNotEvaluable(ValueError):
    """The rule names what the registry does not have (alerts.rules.problems says what)."""


@dataclass(frozen=True)
class Finding:
    """A subject whose condition holds: where (a point, a ward, a CAP circle or polygon), how much, from
    which source features, and a label (the feature's name) when it has one."""

    subject: str
    lon: float
    lat: float
    ward_id: int | None
    ward_name: str | None
    value: float | None
    source_ids: tuple[int, ...]
    label: str | None = None
    radius_m: float | None = None
    area_ewkt: str | None = None


@cache
def _text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _query(name: str, **parts: sql.Composable) -> sql.Composable:
    return sql.SQL(_text(name)).format(**parts)


def _aliased(layer: Layer, alias: str, **extra: str) -> dict[str, sql.Composable]:
    """`alias` → the layer's table; `alias.id`, `alias.geom`, `alias.time` (and `extra` names) → columns."""
    model = layer.model_class._meta
    columns = {"id": model.pk.column, "geom": model.get_field(layer.geometry_field).column}
    if layer.time_field:
        columns["time"] = model.get_field(layer.time_field).column
    columns.update({key: model.get_field(name).column for key, name in extra.items()})
    return {alias: sql.Identifier(model.db_table),
            **{f"{alias}.{key}": sql.Identifier(column) for key, column in columns.items()}}


def _where(layer: Layer, filters: dict[str, Any], alias: str, params: dict[str, Any]) -> sql.Composable:
    """The layer's own filter and the rule's {field: value or values} on rows `alias` (compared as text)."""
    terms = [layer_filter(layer, alias)]
    for number, (name, wanted) in enumerate(sorted(filters.items())):
        values = wanted if isinstance(wanted, list) else [wanted]
        key = f"filter_{number}"
        params[key] = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
        column = sql.Identifier(alias, layer.model_class._meta.get_field(name).column)
        terms.append(sql.SQL("{}::text = ANY({})").format(column, sql.Placeholder(key)))
    return sql.SQL(" AND ").join(terms)


def _label(layer: Layer, alias: str) -> sql.Composable:
    name = event_label_field(layer)
    if name is None:
        return sql.NULL
    return sql.SQL("{}::text").format(sql.Identifier(alias, layer.model_class._meta.get_field(name).column))


def _threshold(rule: AlertRule, layer: Layer, params: dict[str, Any]) -> sql.Composable:
    params.update(layer=layer.id, metric=rule.metric, threshold=rule.threshold, readings=rule.readings)
    return _query("threshold", **names(Observation, "o"), **_aliased(layer, "f"),
                  comparison=sql.SQL(COMPARISONS[rule.comparison][0]), label=_label(layer, "f"),
                  filter=_where(layer, rule.filters, "f", params))


def _count(rule: AlertRule, layer: Layer, params: dict[str, Any]) -> sql.Composable:
    params.update(min_count=rule.min_count, radius=rule.radius_m)
    where = _where(layer, rule.filters, "e", params)
    if rule.grouping == "ward":
        ward = _ward_of_event(layer)
        return _query("count_ward", **_aliased(layer, "e"), **names(AdminUnit, "u"), ward=ward, filter=where)
    if rule.grouping == "h3":
        events = _query("count_h3_events", **_aliased(layer, "e"), filter=where)
        params.update(_cells(events, params, rule.h3_resolution, rule.min_count))
        return _query("count_h3")
    return _query("count_radius", **_aliased(layer, "e"), filter=where)


def _cells(events: sql.Composable, params: dict[str, Any], resolution: int, least: int) -> dict[str, list]:
    """The H3 cells of `resolution` holding at least `least` of the events (id, lon, lat) the query
    reads, as the parallel arrays count_h3.sql unnests."""
    members: dict[str, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(events.as_string(None), params)
        for event_id, lon, lat in cursor.fetchall():
            members[cell_of(lon, lat, resolution)].append(event_id)
    held = sorted(cell for cell, ids in members.items() if len(ids) >= least)
    centres = [centre(cell) for cell in held]
    return {"h3_cells": held, "h3_lons": [lon for lon, _ in centres], "h3_lats": [lat for _, lat in centres],
            "h3_counts": [len(members[cell]) for cell in held],
            "h3_ids": [",".join(map(str, members[cell])) for cell in held],
            "h3_hexagons": [cell_wkt(cell) for cell in held]}


def _ward_of_event(layer: Layer) -> sql.Composable:
    """SQL: the ward of event `e`: its ward field if it has one, else (or when blank) the commune holding
    its point on its local day."""
    columns = _aliased(layer, "e")
    found = commune_at(sql.SQL("e.{}").format(columns["e.geom"]),
                       local_day(sql.SQL("e.{}").format(columns["e.time"])))
    if "ward" in {field.name for field in layer.model_class._meta.concrete_fields}:
        found = sql.SQL("coalesce(e.{}, {})").format(_aliased(layer, "e", ward="ward")["e.ward"], found)
    return found


def _silence(rule: AlertRule, layer: Layer, params: dict[str, Any]) -> sql.Composable:
    params.update(silence=rule.silence_minutes)
    if rule.metric:
        params.update(layer=layer.id, metric=rule.metric)
        last = _query("last_observation", **names(Observation, "o"), **_aliased(layer, "f"))
    else:
        source = registry.get(rule.source_layer)
        last = _query("last_event", **_aliased(source, "e", link=link_field(source, layer)),
                      **_aliased(layer, "f"))
    return _query("silence", **_aliased(layer, "f"), last=last, label=_label(layer, "f"),
                  filter=_where(layer, rule.filters, "f", params))


def _zone(rule: AlertRule, layer: Layer, params: dict[str, Any]) -> sql.Composable:
    return _query("zone", **_aliased(layer, "e"), label=_label(layer, "e"),
                  filter=_where(layer, rule.filters, "e", params))


def _stale(rule: AlertRule, layer: Layer, params: dict[str, Any]) -> sql.Composable:
    """The layer as one subject while it is late for its cadence (layers.freshness), at the city's centre."""
    known = freshness(layer)
    last = known.last_update
    params.update(stale_layer=layer.id, stale_label=layer.title_vi, stale_late=known.late(params["now"]),
                  stale_hours=round((params["now"] - last).total_seconds() / 3600, 1) if last else None)
    return _query("stale", **names(AdminUnit, "u"))


KINDS: dict[str, Callable[[AlertRule, Layer, dict[str, Any]], sql.Composable]] = {
    "threshold": _threshold, "count": _count, "silence": _silence, "zone": _zone, "stale": _stale,
}


def statement(rule: AlertRule, now: datetime) -> tuple[str, dict[str, Any]]:
    """The SQL text and parameters finding `rule`'s subjects at `now` (RuleNotEvaluable for a broken rule)."""
    if found := problems(rule):
        raise RuleNotEvaluable(f"rule {rule.code}: " + "; ".join(f"{k}: {v}" for k, v in found.items()))
    layer = registry.get(rule.layer)
    params: dict[str, Any] = {"now": now, "since": now - timedelta(minutes=rule.window_minutes)}
    body = KINDS[rule.kind](rule, layer, params)
    query = _query("findings", body=body, **names(AdminUnit, "u"),
                   commune=commune_at(sql.SQL("q.pt"), local_day(sql.Placeholder("now"))))
    return query.as_string(None), params


def find(rule: AlertRule, now: datetime) -> list[Finding]:
    """The subjects where `rule` holds at `now`, ordered by subject."""
    text, params = statement(rule, now)
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        return [Finding(subject, lon, lat, ward, ward_name, value, tuple(ids or ()), label, radius, area)
                for subject, lon, lat, ward, ward_name, value, ids, label, radius, area in cursor.fetchall()]
