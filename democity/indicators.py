"""The demo city's figures for the indicator hub, loaded with the demo (`ioc load_demo`, after the units).

`load(today)` declares the 2025 successions from the communes' shapes (every old commune of the demo went
whole into one new ward), places the provincial departments under the province in force, and writes a
small synthetic set from 1 January three years before `today` to the last period ended before it: budget
revenue by quarter against year and quarter plans, new businesses by month, households and the
poor-household rate by year, SIPAS by year (communes and the province), and the seed indices of
democity.indices (staff by grade, PAR Index, DTI, budget spending, tourism). Before 1 July 2025 the old
communes report, after it the new wards, whose figures continue their communes' (docs/indicators.md).
The same (seed, day) gives the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from democity import indices
from democity.admin import REFORM
from indicators.models import AgencyPlacement, IndicatorValue, Target, UnitSuccession
from indicators.periods import Period, between
from indicators.registry import registry
from indicators.succession import declare_by_area
from layers.models import AdminUnit, ResponsibleUnit

SEED = 2025
SOURCE = "demo"
YEARS_BACK = 3
DECISION = "NQ 1673/NQ-UBTVQH15 (demo: approximate)"


@dataclass(frozen=True)
class Commune:
    """An old commune's model: its people, whether urban, the new ward it went into."""

    unit: AdminUnit
    urban: bool
    successor: AdminUnit


def _communes() -> list[Commune]:
    links = UnitSuccession.objects.filter(predecessor__level="commune", successor__valid_from=REFORM)
    return [
        Commune(link.predecessor, link.predecessor.unit_type == "phuong", link.successor)
        for link in links.select_related("predecessor", "successor").order_by("predecessor__code")
    ]


def _periods(kind: str, first: date, today: date) -> list[Period]:
    """The `kind` periods from `first` that ended by `today`."""
    last = Period.holding(kind, today)
    return [p for p in between(Period.holding(kind, first), last) if p.end <= today]


class Figures:
    """Values and targets being made, by unit (an area or an agency): the old commune before the reform,
    its ward after. A value added twice adds up; one `averaged` is the mean of what was added."""

    def __init__(self, moment: datetime) -> None:
        self.values: dict[tuple[str, Unit, date], float] = {}
        self.targets: dict[tuple[str, Unit, str, date], float] = {}
        self.counts: dict[tuple[str, Unit, date], int] = {}
        self.moment = moment

    def add(self, code: str, unit: Unit, period: Period, value: float) -> None:
        key = (code, _key(unit), period.start)
        self.values[key] = self.values.get(key, 0.0) + value

    def averaged(self, code: str, unit: Unit, period: Period, value: float) -> None:
        self.add(code, unit, period, value)
        key = (code, _key(unit), period.start)
        self.counts[key] = self.counts.get(key, 0) + 1

    def plan(self, code: str, unit: Unit, period: Period, value: float) -> None:
        key = (code, _key(unit), period.kind, period.start)
        self.targets[key] = self.targets.get(key, 0.0) + value

    def save(self, kinds: dict[str, str]) -> int:
        for key, count in self.counts.items():
            self.values[key] /= count
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=code,
                **{f"{kind}_id": pk},
                period_kind=kinds[code],
                period_start=start,
                value=round(value, 2),
                status="approved",
                reported_at=self.moment,
                source=SOURCE,
            )
            for (code, (kind, pk), start), value in self.values.items()
        )
        Target.objects.bulk_create(
            Target(
                indicator=code,
                **{f"{unit_kind}_id": pk},
                period_kind=kind,
                period_start=start,
                value=_rounded_plan(code, value),
            )
            for (code, (unit_kind, pk), kind, start), value in self.targets.items()
        )
        return len(self.values) + len(self.targets)


Unit = AdminUnit | ResponsibleUnit
COUNTED = (
    "budget_revenue",
    "budget_spending",
    "new_businesses",
    "tourist_arrivals",
)  # plans in round figures


def _rounded_plan(code: str, value: float) -> float:
    if code not in COUNTED:
        return round(value, 2)
    return round(value, -2) if value >= 1000 else round(value)


def _key(unit: Unit) -> tuple[str, int]:
    return ("agency" if isinstance(unit, ResponsibleUnit) else "area", unit.pk)


def _reporter(commune: Commune, period: Period) -> AdminUnit:
    """Who reports a period: the unit in force on its last day."""
    return commune.unit if period.end <= REFORM else commune.successor


def _economy(
    rng: np.random.Generator, figures: Figures, communes: list[Commune], first: date, today: date
) -> None:
    for commune in communes:
        people = commune.unit.population or 5000
        per_month = people * (0.55 if commune.urban else 0.18)  # million VND
        for period in _periods("quarter", first, date(today.year + 1, 1, 1)):
            growth = 1.0 + 0.08 * (period.start.year - first.year + (period.start.month - 1) / 12)
            season = 1.6 if period.start.month == 10 else 1.0
            if period.end <= today:
                value = 3 * per_month * growth * season * rng.lognormal(0.0, 0.08)
                figures.add("budget_revenue", _reporter(commune, period), period, value)
            figures.plan(
                "budget_revenue", _reporter(commune, period), period, 3 * per_month * growth * season
            )
        for year in _periods("year", first, date(today.year + 1, 1, 1)):
            growth = 1.0 + 0.08 * (year.start.year - first.year + 0.5)
            figures.plan("budget_revenue", _reporter(commune, year), year, 13.8 * per_month * growth)
            figures.plan(
                "new_businesses",
                _reporter(commune, year),
                year,
                12 * people / (1400 if commune.urban else 4500),
            )
        for month in _periods("month", first, today):
            tet = 0.5 if month.start.month in (1, 2) else 1.0
            rate = people / (1500.0 if commune.urban else 5000.0) * tet
            figures.add("new_businesses", _reporter(commune, month), month, float(rng.poisson(rate)))


def _society(
    rng: np.random.Generator, figures: Figures, communes: list[Commune], first: date, today: date
) -> None:
    for commune in communes:
        households = (commune.unit.population or 5000) / 3.6
        rate = rng.uniform(0.4, 1.5) if commune.urban else rng.uniform(3.0, 9.0)
        satisfied = rng.uniform(78.0, 90.0)
        for n, year in enumerate(_periods("year", first, today)):
            unit = _reporter(commune, year)
            homes = round(households * 1.01**n)
            poor = max(0.1, rate - n * (0.1 if commune.urban else 0.6))
            # a ward's rate is its communes' weighted by households: carried as rate·households, divided below
            figures.add("households", unit, year, homes)
            figures.add("poor_household_rate", unit, year, poor * homes)
            figures.averaged("sipas", unit, year, satisfied + n * 0.8 + rng.normal(0.0, 0.5))
    for (code, unit, start), value in list(figures.values.items()):
        if code == "poor_household_rate":
            figures.values[(code, unit, start)] = value / figures.values[("households", unit, start)]


def _province(figures: Figures, first: date, today: date) -> None:
    """The province's own SIPAS (published for provinces) and its plans, for the province in force."""
    provinces = AdminUnit.objects.filter(level="province")
    for n, year in enumerate(_periods("year", first, date(today.year + 1, 1, 1))):
        province = provinces.valid_on(year.end - timedelta(days=1)).first()
        if province is None:
            continue
        if year.end <= today:
            figures.add("sipas", province, year, 82.1 + 1.3 * n)
        for code in ("budget_revenue", "new_businesses"):
            communes = sum(
                v
                for (c, _u, kind, start), v in figures.targets.items()
                if c == code and kind == "year" and start == year.start
            )
            figures.plan(code, province, year, 1.25 * communes)  # the province collects its own share too


def _place_departments() -> None:
    provinces = AdminUnit.objects.filter(level="province").order_by("valid_from")
    AgencyPlacement.objects.bulk_create(
        AgencyPlacement(
            agency=agency, parent=province, valid_from=province.valid_from, valid_to=province.valid_to
        )
        for agency in ResponsibleUnit.objects.filter(unit_kind="department").order_by("code")
        for province in provinces
    )


@transaction.atomic
def load(today: date) -> int:
    """Successions, placements and the figures of the demo; the number of values and targets written."""
    declare_by_area(REFORM, source=DECISION)
    _place_departments()
    rng = np.random.default_rng(SEED)
    first = date(today.year - YEARS_BACK, 1, 1)
    moment = timezone.make_aware(datetime.combine(today, time(8)))
    figures = Figures(moment)
    communes = _communes()
    _economy(rng, figures, communes, first, today)
    _society(rng, figures, communes, first, today)
    _province(figures, first, today)
    indices.load(figures, communes, first, today, SEED)
    return figures.save({indicator.code: indicator.cadence for indicator in registry})
