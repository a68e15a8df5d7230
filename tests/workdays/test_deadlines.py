"""Deadlines counted in working time (pure logic, no database): Monday–Friday, 07:30–11:30 and 13:30–17:00
in Asia/Ho_Chi_Minh, Vietnamese public holidays, substitute days off and announced swaps; N working days
end at 17:00 of the Nth working day after the day of receipt; pauses stop the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workdays.calendar import CalendarError, DayDecision, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def test_fifteen_working_days_from_before_tet_2026_skip_the_five_days_of_tet(calendar):
    # Tue 10/2 is the day of receipt; 11, 12, 13/2 count; 16–20/2 is Tết (TB 9441/TB-BNV); 23/2 … 10/3.
    assert calendar.add_working(at(2026, 2, 10, 9), 15, "days") == at(2026, 3, 10, 17)


@pytest.mark.parametrize(("hours", "deadline"), [
    (1, at(2026, 3, 6, 17)),  # Friday 16:00–17:00
    (5, at(2026, 3, 9, 11, 30)),  # + Monday morning, ends exactly at the lunch break
    (8, at(2026, 3, 9, 16, 30)),  # 1 on Friday, 4 + 3 on Monday
    (8.5, at(2026, 3, 9, 17)),  # exactly the end of Monday, not Tuesday 07:30
    (12, at(2026, 3, 10, 11)),  # 1 + 7.5 + 3.5 on Tuesday morning
])
def test_working_hours_from_friday_afternoon_land_on_monday_or_tuesday(calendar, hours, deadline):
    start = at(2026, 3, 6, 16)
    assert calendar.add_working_time(start, timedelta(hours=hours)) == deadline
    if hours == int(hours):
        assert calendar.add_working(start, int(hours), "hours") == deadline


def test_working_hours_skip_a_holiday_and_the_weekend_after_it(calendar):
    # Wed 29/4/2026 15:00: 2 hours that day; 30/4 and 1/5 are holidays, 2–3/5 the weekend.
    assert calendar.add_working(at(2026, 4, 29, 15), 4, "hours") == at(2026, 5, 4, 9, 30)


def test_working_days_skip_the_substitute_day_of_gio_to_on_a_sunday(calendar):
    # Giỗ Tổ is Sunday 26/4/2026, so Monday 27/4 is off (Art. 111(3) BLLĐ 2019).
    assert not calendar.is_working_day(date(2026, 4, 27))
    assert calendar.add_working(at(2026, 4, 24, 10), 2, "days") == at(2026, 4, 29, 17)
    assert calendar.add_working(at(2026, 4, 24, 10), 3, "days") == at(2026, 5, 4, 17)


@pytest.mark.parametrize(("received", "deadline"), [
    (at(2026, 3, 6, 16, 59), at(2026, 3, 9, 17)),  # Friday in office hours: Friday is the day of receipt
    (at(2026, 3, 6, 17, 0), at(2026, 3, 10, 17)),  # Friday at closing time: Monday is the day of receipt
    (at(2026, 3, 7, 10), at(2026, 3, 10, 17)),  # Saturday: Monday is the day of receipt
    (at(2026, 3, 9, 6), at(2026, 3, 10, 17)),  # Monday before opening: Monday is the day of receipt
    (at(2026, 3, 9, 12), at(2026, 3, 10, 17)),  # Monday lunch break: still Monday
])
def test_one_working_day_ends_at_closing_time_of_the_working_day_after_the_day_of_receipt(
        calendar, received, deadline):
    assert calendar.add_working(received, 1, "days") == deadline


def test_zero_working_days_is_closing_time_of_the_day_of_receipt(calendar):
    assert calendar.add_working(at(2026, 3, 6, 9), 0, "days") == at(2026, 3, 6, 17)


def test_a_deadline_is_given_in_vietnam_time_for_a_start_in_any_zone(calendar):
    start = datetime(2026, 3, 6, 9, tzinfo=UTC)  # 16:00 in Hà Nội
    deadline = calendar.add_working(start, 8, "hours")
    assert deadline == at(2026, 3, 9, 16, 30) and deadline.tzinfo == VN


def test_a_pause_waiting_for_the_citizen_moves_the_deadline_by_the_working_time_paused(calendar):
    start = at(2026, 3, 3, 9)
    assert calendar.add_working(start, 5, "days") == at(2026, 3, 10, 17)
    # Thu 5/3 08:00 to Mon 9/3 08:00: 7 + 7.5 + 0.5 = 15 working hours, two office days.
    waiting = [(at(2026, 3, 5, 8), at(2026, 3, 9, 8))]
    assert calendar.add_working(start, 5, "days", pauses=waiting) == at(2026, 3, 12, 17)
    assert calendar.working_between(start, at(2026, 3, 12, 17), pauses=waiting) == \
        calendar.working_between(start, at(2026, 3, 10, 17))


def test_overlapping_pauses_and_pauses_outside_the_span_count_once(calendar):
    start, end = at(2026, 3, 9, 7, 30), at(2026, 3, 9, 17)
    pauses = [(at(2026, 3, 9, 8), at(2026, 3, 9, 10)), (at(2026, 3, 9, 9), at(2026, 3, 9, 11)),
              (at(2026, 3, 6, 8), at(2026, 3, 9, 7, 45)), (at(2026, 3, 9, 18), at(2026, 3, 10, 9))]
    # 7.5 h minus 07:30–07:45 and 08:00–11:00
    assert calendar.working_between(start, end, pauses) == timedelta(hours=4, minutes=15)


def test_working_time_between_ignores_nights_weekends_and_holidays(calendar):
    assert calendar.working_between(at(2026, 4, 29, 15), at(2026, 5, 4, 9, 30)) == timedelta(hours=4)
    assert calendar.working_between(at(2026, 5, 4, 9), at(2026, 5, 4, 8)) == timedelta(0)


def test_fraction_used_crosses_three_quarters_and_one_at_the_expected_instants(calendar):
    # 16 working hours from Wed 29/4/2026 09:30: 5.5 h that day, 30/4–3/5 off, 7.5 h on Monday 4/5,
    # 3 h on Tuesday 5/5: deadline 10:30. Three quarters (12 h) are used on Monday at 16:00.
    start = at(2026, 4, 29, 9, 30)
    deadline = calendar.add_working(start, 16, "hours")
    assert deadline == at(2026, 5, 5, 10, 30)
    used = lambda now: calendar.fraction_used(start, deadline, now)  # noqa: E731
    assert used(at(2026, 4, 29, 17)) == used(at(2026, 5, 1, 12)) == used(at(2026, 5, 4, 7)) == 5.5 / 16
    assert used(at(2026, 5, 4, 15, 59)) < 0.75
    assert used(at(2026, 5, 4, 16)) == 0.75
    assert used(at(2026, 5, 5, 10, 29)) < 1.0
    assert used(at(2026, 5, 5, 10, 30)) == 1.0
    assert used(at(2026, 5, 5, 10, 31)) > 1.0


def test_fraction_used_stands_still_during_a_pause_and_reaches_one_at_the_moved_deadline(calendar):
    start = at(2026, 3, 3, 9)
    deadline = calendar.add_working(start, 5, "days")
    waiting = [(at(2026, 3, 5, 8), at(2026, 3, 9, 8))]
    assert calendar.fraction_used(start, deadline, at(2026, 3, 5, 8), waiting) == \
        calendar.fraction_used(start, deadline, at(2026, 3, 9, 8), waiting)
    moved = calendar.add_working(start, 5, "days", pauses=waiting)
    assert calendar.fraction_used(start, deadline, moved, waiting) == 1.0


def test_an_announced_working_saturday_and_an_extra_day_off_are_honoured():
    swapped = WorkingCalendar(decisions=[
        DayDecision(date(2026, 3, 7), working=True, name_vi="Làm bù", name_en="Swapped working day"),
        DayDecision(date(2026, 3, 9), working=False, name_vi="Nghỉ", name_en="Day off"),
    ])
    assert swapped.is_working_day(date(2026, 3, 7)) and not swapped.is_working_day(date(2026, 3, 9))
    # 1 h on Friday, 7.5 h on Saturday; Monday is off: 0.5 h on Tuesday
    assert swapped.add_working(at(2026, 3, 6, 16), 9, "hours") == at(2026, 3, 10, 8)


def test_a_naive_datetime_or_an_unknown_unit_is_refused(calendar):
    with pytest.raises(CalendarError, match="time zone"):
        calendar.add_working(datetime(2026, 3, 6, 9), 1, "days")
    with pytest.raises(CalendarError, match="hours or days"):
        calendar.add_working(at(2026, 3, 6, 9), 1, "weeks")
    with pytest.raises(CalendarError, match="negative"):
        calendar.add_working(at(2026, 3, 6, 9), -1, "hours")
