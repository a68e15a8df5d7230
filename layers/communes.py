"""The commune containing a place on a day: the database function ioc_commune_at, for Python callers.

The rule lives once, in SQL (layers/sql/0008_commune_at.sql): the commune-level unit in force that
day (valid_from ≤ day < valid_to) covering the place (a point, its border included) or, for any
other shape, its ST_PointOnSurface; on a border between two communes the smaller id. Outside every
commune, or on no day: NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import connection
from django.utils import timezone
from psycopg import sql

FUNCTION = sql.Identifier("ioc_commune_at")
HOLDING = sql.Identifier("ioc_commune_holding")
LOCAL_ZONE = "Asia/Ho_Chi_Minh"


def commune_at(place: sql.Composable, day: sql.Composable) -> sql.Composable:
    """SQL: the id of the commune containing `place` (a geometry in EPSG:4326) on `day` (a date)."""
    return sql.SQL("{}({}, {})").format(FUNCTION, place, day)


def join_commune(place: sql.Composable, day: sql.Composable, alias: sql.Identifier) -> sql.Composable:
    """SQL: `LEFT JOIN LATERAL` the commune containing `place` on `day` as `alias` (its `id`, NULL
    outside every commune): the same rule as commune_at, planned inline, for queries over many rows."""
    return sql.SQL("LEFT JOIN LATERAL {}({}, {}) {} ON true").format(HOLDING, place, day, alias)


def local_day(moment: sql.Composable) -> sql.Composable:
    """SQL: the local date (Asia/Ho_Chi_Minh) of a timestamptz, e.g. for `day` of `commune_at`."""
    return sql.SQL("({} AT TIME ZONE {})::date").format(moment, sql.Literal(LOCAL_ZONE))


def day_of(moment: date | datetime | None) -> date:
    """The local day a feature's time falls on, today without one: the day whose commune a feature
    belongs to, e.g. 2025-06-30T20:00:00Z → 2025-07-01."""
    if moment is None:
        return timezone.localdate()
    if isinstance(moment, datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def communes_at(places: Sequence[str | None], days: Sequence[date | None]) -> list[int | None]:
    """The commune of each place (WKT, EWKT or hex (E)WKB, coordinates in EPSG:4326; None: no place)
    on its day, in one query, e.g. communes_at(["POINT(104.87 21.70)"], [date(2025, 7, 1)]) == [4]."""
    if len(places) != len(days):
        raise ValueError(f"{len(places)} places but {len(days)} days")
    if not places:
        return []
    commune = commune_at(sql.SQL("ST_SetSRID(p.place::geometry, 4326)"), sql.SQL("p.day"))
    query = sql.SQL("SELECT {} FROM unnest(%s::text[], %s::date[]) WITH ORDINALITY AS p(place, day, n) "
                    "ORDER BY n").format(commune)
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(None), [list(places), list(days)])
        return [row[0] for row in cursor.fetchall()]
