"""The figures of one indicator for one unit over a run of periods: the actual, the target (kế hoạch),
% of plan, the same period last year and the year to date.

The space side is SQL (indicators/sql/walk.sql: down the unit tree and back over successions, per period
of the indicator's cadence); the time side combines those per-period sums here, by the indicator's
aggregation. docs/indicators.md states the rules with a worked example.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.db import connection, transaction
from psycopg import sql

from indicators.models import COUNTED_STATUSES, AgencyPlacement, IndicatorValue, Target, UnitSuccession
from indicators.org_units import OrgUnit
from indicators.periods import Period, between, start_of
from indicators.registry import Indicator
from layers.identifiers import names
from layers.models import AdminUnit

logger = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent / "sql"
DECIMALS = 6
MAX_DEPTH = 12  # province → district → commune → predecessors …: far more than any real tree


@dataclass(frozen=True)
class Sums:
    """What the walk found for one period of the cadence: n values, Σ share·value, Σ share and, for a
    weighted mean, Σ share·weight·value and Σ share·weight."""

    n: int
    total: float
    shares: float
    weighted: float | None
    weights: float | None


@cache
def _text() -> str:
    return (SQL_DIR / "walk.sql").read_text(encoding="utf-8")


def _statement(model: type) -> sql.Composable:
    counted = {
        alias: sql.SQL("{}.{} = ANY(%(statuses)s)").format(sql.Identifier(alias), sql.Identifier("status"))
        if model is IndicatorValue
        else sql.SQL("TRUE")
        for alias in ("own", "v", "wt")
    }
    return sql.SQL(_text()).format(
        **names(AdminUnit, "u"),
        **names(AgencyPlacement, "g"),
        **names(UnitSuccession, "s"),
        **names(model, "f"),
        own_counted=counted["own"],
        v_counted=counted["v"],
        wt_counted=counted["wt"],
    )


def walk(model: type, indicator: Indicator, unit: OrgUnit, periods: list[Period], down: bool = True) -> dict:
    """{period start: Sums} of `model` (IndicatorValue or Target) rows standing for `unit` in each period:
    its own, else down the tree (unless not `down`) and back over successions."""
    return walk_many(model, indicator, [unit], periods, down)[0]


def walk_many(
    model: type, indicator: Indicator, units: list[OrgUnit], periods: list[Period], down: bool = True
) -> list[dict]:
    """`walk` of several units in one statement: one {period start: Sums} per unit, in their order."""
    found: list[dict] = [{} for _ in units]
    if not periods or not units:
        return found
    params = {
        "starts": [p.start for p in periods],
        "days": [p.end - timedelta(days=1) for p in periods],
        "areas": [unit.area_id for unit in units],
        "agencies": [unit.agency_id for unit in units],
        "indicator": indicator.code,
        "weight": indicator.weight,
        "kind": periods[0].kind,
        "depth": MAX_DEPTH,
        "down": down,
        "statuses": list(COUNTED_STATUSES),
    }
    # the recursive walk's row estimates run to millions: PostgreSQL would JIT-compile it for longer (1.6 s
    # measured by bench/indicators) than it runs (milliseconds)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_statement(model).as_string(cursor.connection), params)
        for root, start, *sums in cursor.fetchall():
            found[root - 1][start] = Sums(*sums)
    return found


def combine(indicator: Indicator, found: list[Sums]) -> float | None:
    """One figure from the per-period sums of a run of periods (oldest first), by the aggregation."""
    found = [sums for sums in found if sums.n]
    if not found:
        return None
    if indicator.aggregation == "sum":
        return sum(s.total for s in found)
    if indicator.aggregation == "latest":
        return found[-1].total
    if indicator.aggregation == "mean":
        return sum(s.total for s in found) / sum(s.shares for s in found)
    weights = sum(s.weights or 0.0 for s in found)
    return sum(s.weighted or 0.0 for s in found) / weights if weights else None


def _plan(indicator: Indicator, sums: Sums | None) -> float | None:
    """A plan: the unit's own or its predecessors' (added up for sum and latest, else a mean by share)."""
    if sums is None or not sums.n:
        return None
    return sums.total if indicator.aggregation in ("sum", "latest") else sums.total / sums.shares


def _rounded(value: float | None) -> float | None:
    """Six decimals: no float noise (133655.47999999998) in the answer."""
    return None if value is None else round(value, DECIMALS)


def _change(value: float | None, before: float | None) -> float | None:
    """The change from `before` to `value` in % of `before`."""
    return None if value is None or not before else 100.0 * (value - before) / before


def _percent(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else 100.0 * part / whole


def series(indicator: Indicator, unit: OrgUnit, first: Period, last: Period) -> list[dict]:
    """One row per period from `first` to `last` (of one kind, not finer than the cadence): actual,
    target, pct_of_plan, last_year (the same period a year before), its change in %, ytd (1 January to
    the period's end) and the number of values behind the actual."""
    return series_many(indicator, [unit], first, last)[0]


def series_many(indicator: Indicator, units: list[OrgUnit], first: Period, last: Period) -> list[list[dict]]:
    """`series` of several units (a choropleth's, a ranking's) with two statements in all."""
    asked = between(first, last)
    since = min(first.year_before().start, first.year_start)
    native = between(
        Period.holding(indicator.cadence, since),
        Period.holding(indicator.cadence, last.end - timedelta(days=1)),
    )
    actuals = walk_many(IndicatorValue, indicator, units, native)
    # a plan is the unit's own or its predecessors'
    plans_of = walk_many(Target, indicator, units, asked, down=False)
    return [
        _rows(indicator, asked, native, actual, plans)
        for actual, plans in zip(actuals, plans_of, strict=True)
    ]


def _rows(
    indicator: Indicator, asked: list[Period], native: list[Period], actual: dict, plans: dict
) -> list[dict]:
    def figure(start, end) -> tuple[float | None, int]:
        inside = [actual[p.start] for p in native if start <= p.start < end and p.start in actual]
        return combine(indicator, inside), sum(s.n for s in inside)

    rows = []
    for period in asked:
        value, count = figure(period.start, period.end)
        before = period.year_before()
        last_year, _ = figure(before.start, before.end)
        target = _plan(indicator, plans.get(period.start))
        rows.append(
            {
                "period": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "actual": _rounded(value),
                "target": _rounded(target),
                "pct_of_plan": _rounded(_percent(value, target)),
                "last_year": _rounded(last_year),
                "change_pct": _rounded(_change(value, last_year)),
                "ytd": _rounded(figure(start_of("year", period.start), period.end)[0]),
                "values": count,
            }
        )
    return rows
