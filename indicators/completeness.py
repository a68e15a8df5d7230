"""Completeness ("Đủ"): which units owe an indicator's figure for a period, whether each sent it on time,
late or not at all, the due day counted in working days by the working calendar (workdays).

Who owes a figure follows the declaration: an indicator reported by each area (`reporter="area"`) is
owed by the units of its levels in force on the period's last day that no other owing unit stands for
(a province whose communes or agencies report is not asked for its own); one reported by an agency
(`reporter="STC"`) is owed by that agency alone, which sends the areas' figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Q

from indicators.models import COUNTED_STATUSES, AgencyPlacement, IndicatorValue
from indicators.org_units import OrgUnit
from indicators.periods import Period
from indicators.registry import AREA_REPORTER, Indicator
from layers.models import AdminUnit
from workdays.calendar import VN
from workdays.store import working_calendar

STATES = ("on_time", "late", "missing")
STATE_NAMES = {
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Trễ hạn", "Late"),
    "missing": ("Chưa báo cáo", "Not reported"),
}
AREA_LEVELS = ("province", "district", "commune")


def due_at(indicator: Indicator, period: Period) -> datetime:
    """The closing time of the `indicator.due_days`-th working day after `period` ends (Asia/Ho_Chi_Minh):
    a month's figure with 5 days is due on the 5th working day of the next month at 17:00."""
    calendar = working_calendar()
    day = period.end - timedelta(days=1)
    for _ in range(indicator.due_days):
        day = calendar.next_working_day(day)
    if indicator.due_days == 0 and not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    closing = calendar.schedule_on(day).sessions[-1][1]
    return datetime.combine(day, closing, VN)


@dataclass(frozen=True)
class Owed:
    """One unit's figure of a period: `state` one of STATES; `reported_at` when it was sent (the last
    value's time), None when missing; `geom` the area's shape or the agency's (None: listed only)."""

    unit: OrgUnit
    state: str
    reported_at: datetime | None
    geom: object = None

    def as_json(self, language: str = "vi") -> dict:
        vi, en = STATE_NAMES[self.state]
        return {
            **self.unit.as_json(language),
            "status": self.state,
            "status_name": en if language == "en" else vi,
            "reported_at": self.reported_at.astimezone(VN).isoformat() if self.reported_at else None,
        }


def _in_force(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def owing_units(indicator: Indicator, period: Period) -> list[tuple[OrgUnit, object]]:
    """The units that owe `indicator`'s figure of `period`, with their shapes: areas by level and code,
    then agencies by code."""
    day = period.end - timedelta(days=1)
    placements = AgencyPlacement.objects.filter(_in_force(day)).select_related("agency")
    if indicator.reporter != AREA_REPORTER:
        agencies = [p.agency for p in placements.filter(agency__code=indicator.reporter)]
        return [(OrgUnit.of_agency(a), a.geom) for a in agencies[:1]]
    levels = [level for level in AREA_LEVELS if level in indicator.levels]
    areas = AdminUnit.objects.filter(_in_force(day), level__in=levels)
    standing_for = set(
        AdminUnit.objects.filter(_in_force(day), level__in=levels, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    owing: list[tuple[OrgUnit, object]] = []
    if "agency" in indicator.levels:
        standing_for |= {p.parent_id for p in placements}
    order = {level: n for n, level in enumerate(AREA_LEVELS)}
    for area in sorted(areas.exclude(pk__in=standing_for), key=lambda a: (order[a.level], a.code)):
        owing.append((OrgUnit.of_area(area), area.geom))
    if "agency" in indicator.levels:
        for placement in sorted(placements, key=lambda p: p.agency.code):
            agency = placement.agency
            owing.append(
                (
                    OrgUnit(
                        "agency",
                        agency.pk,
                        agency.code,
                        agency.name,
                        agency.name_en,
                        "agency",
                        placement.valid_from,
                        placement.valid_to,
                    ),
                    agency.geom,
                )
            )
    return owing


def completeness(indicator: Indicator, period: Period) -> list[Owed]:
    """Each owing unit's state for `indicator` and `period`: on time when its counted values (reported or
    approved) were sent by the due time, late after it, missing without any."""
    due = due_at(indicator, period)
    values = IndicatorValue.objects.filter(
        indicator=indicator.code,
        period_kind=period.kind,
        period_start=period.start,
        status__in=COUNTED_STATUSES,
    )
    if indicator.reporter != AREA_REPORTER:
        sent = values.aggregate(last=Max("reported_at"))["last"]
        times = {("agency", unit.id): sent for unit, _ in owing_units(indicator, period) if sent}
    else:
        times = {
            ("area", row["area_id"]) if row["area_id"] else ("agency", row["agency_id"]): row["last"]
            for row in values.values("area_id", "agency_id").annotate(last=Max("reported_at"))
        }
    found = []
    for unit, geom in owing_units(indicator, period):
        sent = times.get((unit.kind, unit.id))
        state = "missing" if sent is None else "on_time" if sent <= due else "late"
        found.append(Owed(unit, state, sent, geom))
    return found


def form_completeness(cadence: str, period: Period, indicators) -> list[Owed]:
    """The completeness of the reports of a cadence (a data set: every `indicators` of that cadence), by
    unit: missing if any figure it owes is missing, else late if any is late, else on time; sent at its
    last figure's time."""
    worst = {state: n for n, state in enumerate(STATES)}  # on_time 0, late 1, missing 2
    merged: dict[tuple[str, int], Owed] = {}
    for indicator in indicators:
        if indicator.cadence != cadence:
            continue
        for row in completeness(indicator, period):
            key = (row.unit.kind, row.unit.id)
            if (seen := merged.get(key)) is None:
                merged[key] = row
                continue
            state = max(seen.state, row.state, key=worst.__getitem__)
            times = [t for t in (seen.reported_at, row.reported_at) if t is not None]
            merged[key] = Owed(
                seen.unit, state, max(times) if state != "missing" and times else None, seen.geom
            )
    order = {"area": 0, "agency": 1}
    return sorted(merged.values(), key=lambda row: (order[row.unit.kind], row.unit.level, row.unit.code))


def counts(rows: list[Owed]) -> dict[str, int]:
    """How many units are in each state."""
    return {state: sum(row.state == state for row in rows) for state in STATES}
