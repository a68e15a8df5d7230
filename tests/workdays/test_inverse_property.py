"""Property (seeded, so every run checks the same cases): counting working time forward and measuring it
back agree, for random starts in 2026–2027, with and without pauses."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from workdays.calendar import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CASES = 400
FIRST = datetime(2026, 1, 1, tzinfo=VN)
SPAN_S = int((datetime(2028, 1, 1, tzinfo=VN) - FIRST).total_seconds())


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def _instant(rng: random.Random) -> datetime:
    return FIRST + timedelta(seconds=rng.randrange(SPAN_S))


def _pauses(rng: random.Random, start: datetime) -> list[tuple[datetime, datetime]]:
    pauses = []
    for _ in range(rng.randrange(3)):
        begin = start + timedelta(minutes=rng.randrange(-600, 30 * 24 * 60))
        pauses.append((begin, begin + timedelta(minutes=rng.randrange(1, 5 * 24 * 60))))
    return pauses


def test_working_between_measures_back_the_hours_add_working_counted(calendar):
    rng = random.Random(18)
    for _ in range(CASES):
        start, hours = _instant(rng), rng.randrange(0, 200)
        pauses = _pauses(rng, start)
        deadline = calendar.add_working(start, hours, "hours", pauses=pauses)
        case = (start, hours, pauses)
        assert calendar.working_between(start, deadline, pauses) == timedelta(hours=hours), case
        assert deadline == start or calendar.working_between(start, deadline - timedelta(seconds=1), pauses) \
            < timedelta(hours=hours), "the deadline is the earliest such instant"


def _in_office_hours(calendar: WorkingCalendar, instant: datetime) -> bool:
    """After a session's opening and up to its closing: the earliest instant for its working time."""
    return calendar.is_working_day(instant.date()) and (
        time(7, 30) < instant.time() <= time(11, 30) or time(13, 30) < instant.time() <= time(17))


def test_add_working_time_gets_back_to_an_instant_in_office_hours_from_the_time_measured(calendar):
    rng = random.Random(1818)
    for _ in range(CASES):
        end = _instant(rng)
        while not _in_office_hours(calendar, end):
            end = _instant(rng)
        start = end - timedelta(seconds=rng.randrange(90 * 24 * 3600))
        assert calendar.add_working_time(start, calendar.working_between(start, end)) == end, (start, end)


def test_n_working_days_end_at_closing_time_and_hold_n_office_days_plus_the_rest_of_the_day_of_receipt(
        calendar):
    rng = random.Random(180)
    office_day = timedelta(hours=7, minutes=30)
    for _ in range(CASES):
        start, days = _instant(rng), rng.randrange(0, 40)
        deadline = calendar.add_working(start, days, "days")
        assert deadline.time() == time(17) and calendar.is_working_day(deadline.date()), (start, days)
        assert days * office_day <= calendar.working_between(start, deadline) <= (days + 1) * office_day
