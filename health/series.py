"""The epidemic watch's derived figures: each commune-day's 7-day sum, incidence and band, in SQL."""

from __future__ import annotations

import logging
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from psycopg import sql

from health.models import EpidemicDay
from layers.identifiers import names
from layers.models import AdminUnit, Observation
from layers.registry import registry

logger = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent / "sql"
PER = 100_000  # the incidence is cases per this many inhabitants
LAYER, METRIC = "epidemic_cases", "incidence_7d"  # the alert-ready series (health.catalog)


def few_below() -> int:
    """7-day sums under this are the band "few": the layer's SmallCounts hides them from anonymous users."""
    return registry.get(LAYER).small_counts.below


@cache
def _derive_sql() -> str:
    columns = {name: sql.Identifier(EpidemicDay._meta.get_field(name).column)
               for name in ("cases_7d", "population", "incidence_7d", "incidence_band")}
    text = (SQL_DIR / "derive_7d.sql").read_text(encoding="utf-8")
    return sql.SQL(text).format(**names(EpidemicDay, "e"), **names(AdminUnit, "u"), **columns).as_string(None)


def derive(since: date = date.min) -> int:
    """Recompute the 7-day sum, incidence and band of every commune-day from `since` on (the sums read
    the 6 days before it); the number of rows written."""
    with connection.cursor() as cursor:
        cursor.execute(_derive_sql(), {"since": since, "few_below": few_below()})
        return cursor.rowcount


@cache
def _publish_sql() -> tuple[str, str]:
    observation = names(Observation, "o")
    delete = sql.SQL("DELETE FROM {o} WHERE {o.layer} = %(layer)s AND {o.metric} = %(metric)s").format(
        **observation)
    insert = sql.SQL(
        "INSERT INTO {o} ({o.layer}, {o.feature_id}, {o.metric}, {o.period}, {o.observed_at}, {o.value}) "
        "SELECT %(layer)s, e.{e.id}, %(metric)s, 'day', e.{e.day}::timestamp AT TIME ZONE %(zone)s, "
        "e.{e.incidence_7d} FROM {e} e "
        "WHERE e.{e.incidence_7d} IS NOT NULL AND (e.{e.cases_7d} = 0 OR e.{e.cases_7d} >= %(few_below)s)"
    ).format(**observation, **names(EpidemicDay, "e"))
    return delete.as_string(None), insert.as_string(None)


def publish_incidence() -> int:
    """Write each commune-day's 7-day incidence into layers.Observation (metric `incidence_7d` of the
    layer `epidemic_cases`, observed at the day's local midnight): the series alert rules of kind
    threshold read. A day whose 7-day count is hidden from anonymous users (1 to 4) has no value,
    so the series never gives a hidden count back. The number of values written."""
    params = {"layer": LAYER, "metric": METRIC, "zone": settings.TIME_ZONE, "few_below": few_below()}
    delete, insert = _publish_sql()
    with connection.cursor() as cursor:
        cursor.execute(delete, params)
        cursor.execute(insert, params)
        return cursor.rowcount
