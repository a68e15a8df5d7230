"""Periods of the hub: a kind (day, week, month, quarter, year) and the day it starts, e.g.
Period("quarter", date(2025, 7, 1)) is 2025-Q3, from 1 July to 1 October (end exclusive)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("day", "week", "month", "quarter", "year")  # finest first (indicators.registry.CADENCES)
KIND_NAMES_VI = {"day": "ngày", "week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm"}
LABEL = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|W(?P<week>\d{2})|(?P<month>\d{2})"
    r"(?:-(?P<day>\d{2}))?))?$"
)


def _months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def start_of(kind: str, day: date) -> date:
    """The first day of the `kind` period holding `day` (weeks start on Monday, as ISO weeks)."""
    if kind == "day":
        return day
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if kind == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown period kind {kind!r}")


def is_finer_or_equal(kind: str, other: str) -> bool:
    """Whether `kind` periods fit inside `other` periods (weeks only in weeks: they straddle months)."""
    if kind == "week" or other == "week":
        return kind in ("day", "week") and other == "week" or kind == other
    return KINDS.index(kind) <= KINDS.index(other)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date

    def __post_init__(self) -> None:
        if start_of(self.kind, self.start) != self.start:
            raise ValueError(f"{self.start} does not start a {self.kind}")

    @classmethod
    def holding(cls, kind: str, day: date) -> Period:
        return cls(kind, start_of(kind, day))

    @property
    def end(self) -> date:
        """The day after the period (exclusive end)."""
        step = {"day": timedelta(days=1), "week": timedelta(days=7)}.get(self.kind)
        if step is not None:
            return self.start + step
        return _months(self.start, {"month": 1, "quarter": 3, "year": 12}[self.kind])

    @property
    def label(self) -> str:
        """'2025', '2025-Q3', '2025-07', '2025-W27', '2025-07-01'."""
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return self.start.strftime("%Y-%m")
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.isoformat()

    def next(self) -> Period:
        return Period(self.kind, self.end)

    def year_before(self) -> Period:
        """The same period a year earlier (a week: 52 weeks earlier)."""
        if self.kind == "week":
            return Period(self.kind, self.start - timedelta(weeks=52))
        if (self.start.month, self.start.day) == (2, 29):
            return Period(self.kind, date(self.start.year - 1, 2, 28))
        return Period(self.kind, self.start.replace(year=self.start.year - 1))

    @property
    def year_start(self) -> date:
        return date(self.start.year, 1, 1)


def parse(kind: str, text: str) -> Period:
    """The `kind` period named by `text`: its label ('2025', '2025-Q3', '2025-07') or any day in it
    ('2025-07-15'); ValueError otherwise."""
    found = LABEL.match(text.strip())
    if found is None:
        raise ValueError(f"{text!r} names no period")
    year = int(found["year"])
    if found["quarter"]:
        day = date(year, (int(found["quarter"]) - 1) * 3 + 1, 1)
    elif found["week"]:
        day = date.fromisocalendar(year, int(found["week"]), 1)
    elif found["month"]:
        day = date(year, int(found["month"]), int(found["day"] or 1))
    else:
        day = date(year, 1, 1)
    return Period.holding(kind, day)


def between(first: Period, last: Period) -> list[Period]:
    """The periods from `first` to `last`, both included."""
    found, period = [], first
    while period <= last:
        found.append(period)
        period = period.next()
    return found
