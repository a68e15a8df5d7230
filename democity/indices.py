"""The demo's seed indices for the indicator hub (issue #22 item 5), written into democity.indicators's
Figures: staff by grade (communes, wards and departments, monthly), the PAR Index and its 8 areas and
the DTI and its pillars (yearly: the province's own, its communes', its departments'), budget spending
by quarter and tourist arrivals by month, with plans, and the plans of SIPAS and the poor-household rate.

Synthetic and deterministic: each part draws from its own stream of the seed, so the older figures of
democity.indicators keep their values. Before 1 July 2025 the old communes report, after it the wards.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np

from democity.admin import REFORM
from indicators.catalog import DTI_PILLARS, PAR_AREAS, STAFF_GRADES
from indicators.periods import Period, between
from layers.models import AdminUnit, ResponsibleUnit

# share of each grade (senior, principal, specialist; clerks the rest) in communes and in departments
GRADE_SHARES = {"area": (0.0, 0.1, 0.65), "agency": (0.05, 0.25, 0.55)}
WARD_STAFF = 0.8  # a 2025 ward kept 80 % of its old communes' staff
TOURISM_SEASON = {2: 1.7, 3: 1.3, 4: 1.2, 6: 1.15, 7: 1.2, 9: 1.4, 10: 1.35}  # festivals, Thác Bà, rice


def _periods(kind: str, first: date, until: date) -> list[Period]:
    return [p for p in between(Period.holding(kind, first), Period.holding(kind, until)) if p.end <= until]


class Seed:
    """One demo load's units: the old communes with their wards, the departments, the province by year."""

    def __init__(self, figures, communes, first: date, today: date) -> None:
        self.figures, self.communes, self.first, self.today = figures, communes, first, today
        self.agencies = list(ResponsibleUnit.objects.filter(unit_kind="department").order_by("code"))
        self.wards: dict[int, list] = defaultdict(list)
        for commune in communes:
            self.wards[commune.successor.pk].append(commune)
        self.ward_units = {c.successor.pk: c.successor for c in communes}

    def reporters(self, period: Period) -> list[tuple[AdminUnit, list]]:
        """The area units reporting a period (in force on its last day), each with its old communes."""
        if period.end <= REFORM:
            return [(commune.unit, [commune]) for commune in self.communes]
        return [(self.ward_units[pk], members) for pk, members in sorted(self.wards.items())]

    def province(self, period: Period) -> AdminUnit | None:
        return AdminUnit.objects.filter(level="province").valid_on(period.end - timedelta(days=1)).first()

    def ended(self, kind: str) -> list[Period]:
        return _periods(kind, self.first, self.today)

    def planned(self, kind: str) -> list[Period]:
        """The periods with plans: through the end of the demo's year."""
        return _periods(kind, self.first, date(self.today.year + 1, 1, 1))


def _grades(rng: np.random.Generator, seed: Seed, unit, kind: str, month: Period, headcount: int) -> None:
    shares = GRADE_SHARES[kind]
    counts = [int(headcount * share) for share in shares]
    counts.append(headcount - sum(counts))
    seed.figures.add("staff_headcount", unit, month, headcount)
    for (grade, _vi, _en), count in zip(STAFF_GRADES, counts, strict=True):
        seed.figures.add(f"staff_grade_{grade}", unit, month, count)


def staff(rng: np.random.Generator, seed: Seed) -> None:
    """Headcount and its grades each month: every commune (then ward) and department."""
    base = {c.unit.pk: 18 + (c.unit.population or 5000) // 1500 for c in seed.communes}
    agency_base = {a.pk: int(rng.integers(40, 120)) for a in seed.agencies}
    for month in seed.ended("month"):
        for unit, members in seed.reporters(month):
            total = sum(base[c.unit.pk] for c in members)
            headcount = total if month.end <= REFORM else round(WARD_STAFF * total)
            _grades(rng, seed, unit, "area", month, headcount + int(rng.integers(-1, 2)))
        for agency in seed.agencies:
            _grades(rng, seed, agency, "agency", month, agency_base[agency.pk] + int(rng.integers(-2, 3)))


def _par_scores(rng: np.random.Generator, quality: float) -> list[float]:
    return [
        round(points * float(np.clip(quality + rng.normal(0, 0.05), 0.5, 0.99)), 2)
        for _a, _vi, _en, points in PAR_AREAS
    ]


def _record_par(seed: Seed, unit, year: Period, scores: list[float]) -> None:
    for (area, _vi, _en, _points), score in zip(PAR_AREAS, scores, strict=True):
        seed.figures.averaged(f"par_{area}", unit, year, score)
    seed.figures.averaged("par_index", unit, year, round(sum(scores), 2))


def _record_dti(seed: Seed, unit, year: Period, pillars: list[float] | None, index: float) -> None:
    if pillars is not None:
        for (pillar, _vi, _en), score in zip(DTI_PILLARS, pillars, strict=True):
            seed.figures.averaged(f"dti_{pillar}", unit, year, score)
    seed.figures.averaged("dti", unit, year, round(index, 4))


def indices(rng: np.random.Generator, seed: Seed) -> None:
    """PAR Index and DTI by year: the province's own, each commune (then ward) and department; plans."""
    quality = {c.unit.pk: rng.uniform(0.72, 0.88) for c in seed.communes}
    digital = {c.unit.pk: rng.uniform(0.45, 0.7) for c in seed.communes}
    agency_quality = {a.pk: rng.uniform(0.75, 0.92) for a in seed.agencies}
    for n, year in enumerate(seed.ended("year")):
        for unit, members in seed.reporters(year):
            mean_quality = float(np.mean([quality[c.unit.pk] for c in members]))
            _record_par(seed, unit, year, _par_scores(rng, mean_quality + 0.015 * n))
            level = float(np.mean([digital[c.unit.pk] for c in members])) + 0.04 * n
            urban = np.mean([c.urban for c in members])
            pillars = [
                round(float(np.clip(level + shift + rng.normal(0, 0.03), 0, 1)), 4)
                for shift in (0.08, -0.12 + 0.1 * urban, -0.02)
            ]
            _record_dti(seed, unit, year, pillars, float(np.mean(pillars)))
        for agency in seed.agencies:
            _record_par(seed, agency, year, _par_scores(rng, agency_quality[agency.pk] + 0.01 * n))
            _record_dti(
                seed,
                agency,
                year,
                None,
                float(np.clip(agency_quality[agency.pk] - 0.15 + 0.04 * n + rng.normal(0, 0.02), 0, 1)),
            )
        province = seed.province(year)
        _record_par(seed, province, year, _par_scores(rng, 0.84 + 0.015 * n))
        pillars = [round(0.6 + 0.045 * n + shift, 4) for shift in (0.07, -0.06, 0.0)]
        _record_dti(seed, province, year, pillars, float(np.mean(pillars)))
    for n, year in enumerate(seed.planned("year")):
        areas = [unit for unit, _members in seed.reporters(year)]
        for unit, par, dti, sipas in (
            *((unit, 82 + 1.5 * n, 0.55 + 0.05 * n, 85 + 0.5 * n) for unit in areas),
            *((agency, 86 + 1.0 * n, 0.65 + 0.04 * n, None) for agency in seed.agencies),
            (seed.province(year), 88 + 1.0 * n, 0.62 + 0.05 * n, 84 + n),
        ):
            seed.figures.plan("par_index", unit, year, par)
            seed.figures.plan("dti", unit, year, dti)
            if sipas is not None:
                seed.figures.plan("sipas", unit, year, sipas)


def poverty_plans(seed: Seed) -> None:
    """Each year's plan of the poor-household rate: 85 % of the last year's rate (its communes' mean for
    a ward's first year; for the province, its communes' weighted by households)."""
    rates = seed.figures.values
    for year in seed.planned("year")[1:]:
        before = year.year_before().start
        for unit, members in seed.reporters(year):
            last = rates.get(("poor_household_rate", ("area", unit.pk), before))
            if last is None:
                known = [rates.get(("poor_household_rate", ("area", c.unit.pk), before)) for c in members]
                known = [value for value in known if value is not None]
                last = float(np.mean(known)) if known else None
            if last is not None:
                seed.figures.plan("poor_household_rate", unit, year, 0.85 * last)
        reported = [(unit, members) for unit, members in seed.reporters(year.year_before())]
        pairs = [
            (
                rates.get(("poor_household_rate", ("area", u.pk), before)),
                rates.get(("households", ("area", u.pk), before)),
            )
            for u, _m in reported
        ]
        pairs = [(rate, homes) for rate, homes in pairs if rate is not None and homes]
        if pairs:  # the province's: its communes' rate weighted by households, less 15 %
            rate = sum(r * h for r, h in pairs) / sum(h for _r, h in pairs)
            seed.figures.plan("poor_household_rate", seed.province(year), year, 0.85 * rate)


def spending_and_tourism(rng: np.random.Generator, seed: Seed) -> None:
    """Budget spending by quarter (plans by quarter and year) and tourist arrivals by month (year plans)."""
    for quarter in seed.planned("quarter"):
        growth = 1.0 + 0.07 * (quarter.start.year - seed.first.year)
        season = 1.5 if quarter.start.month == 10 else 0.85 if quarter.start.month == 1 else 1.0
        for unit, members in seed.reporters(quarter):
            plan = sum(3 * (c.unit.population or 5000) * (0.42 if c.urban else 0.3) for c in members)
            plan *= growth * season
            seed.figures.plan("budget_spending", unit, quarter, plan)
            if quarter.end <= seed.today:
                seed.figures.add("budget_spending", unit, quarter, plan * rng.uniform(0.78, 1.08))
    for n, year in enumerate(seed.planned("year")):
        growth = 1.0 + 0.07 * n
        for unit, members in seed.reporters(year):
            people = sum((c.unit.population or 5000) * (0.42 if c.urban else 0.3) for c in members)
            seed.figures.plan("budget_spending", unit, year, 12.6 * people * growth)
            visitors = sum(1400 if c.urban else 500 for c in members)
            seed.figures.plan("tourist_arrivals", unit, year, 12 * visitors * 1.1**n * 1.08)
        province = seed.province(year)
        for code in ("budget_spending", "tourist_arrivals"):
            total = sum(
                v
                for (c, _u, kind, start), v in seed.figures.targets.items()
                if c == code and kind == "year" and start == year.start
            )
            seed.figures.plan(code, province, year, 1.2 * total if code == "budget_spending" else total)
    for month in seed.ended("month"):
        growth = 1.1 ** (month.start.year - seed.first.year)
        for unit, members in seed.reporters(month):
            visitors = sum(1400 if c.urban else 500 for c in members)
            rate = visitors * growth * TOURISM_SEASON.get(month.start.month, 1.0)
            seed.figures.add("tourist_arrivals", unit, month, float(rng.poisson(rate)))


def load(figures, communes, first: date, today: date, seed_number: int) -> None:
    """Every seed index of the demo into `figures` (democity.indicators.Figures)."""
    seed = Seed(figures, communes, first, today)
    staff(np.random.default_rng([seed_number, 1]), seed)
    indices(np.random.default_rng([seed_number, 2]), seed)
    poverty_plans(seed)
    spending_and_tourism(np.random.default_rng([seed_number, 3]), seed)
