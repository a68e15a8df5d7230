"""A year's notices are data: the 2026 notices are seeded by a migration, an administrator enters swaps and
extra days off (and office hours) in Django admin, and deadlines see them without a query per day."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from workdays import store
from workdays.calendar import LIBRARY_SOURCE
from workdays.models import CalendarDay, OfficeHours

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the rows as they are (a rolled-back row must not stay in the process's cache)."""
    store.forget()
    yield
    store.forget()


def test_the_2026_notices_are_seeded_with_their_sources():
    rows = {row.day.isoformat(): (row.working, row.source)
            for row in CalendarDay.objects.filter(day__year=2026)}
    assert rows == {
        **{f"2026-02-{d}": (False, "TB 9441/TB-BNV") for d in range(16, 21)},
        "2026-04-27": (False, "Art. 111(3) BLLĐ 2019: Giỗ Tổ on Sunday 26/4"),
        "2026-11-24": (False, "NQ 28/2026/QH16"),
    }
    hours = OfficeHours.objects.get()
    assert hours.weekdays == "12345"
    assert hours.schedule.sessions == ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))


def test_a_working_saturday_entered_in_the_admin_counts_towards_a_deadline(admin_client):
    calendar = store.working_calendar()
    assert calendar.add_working(at(2026, 3, 6, 16), 8, "hours") == at(2026, 3, 9, 16, 30)
    page = admin_client.post("/admin/workdays/calendarday/add/", {
        "day": "2026-03-07", "working": "on", "name_vi": "Làm bù cho ngày nghỉ",
        "name_en": "Swapped working day", "source": "TB thử nghiệm"})
    assert page.status_code == 302, page.content.decode()[:2000]
    calendar = store.working_calendar()
    assert calendar.is_working_day(date(2026, 3, 7))
    assert calendar.add_working(at(2026, 3, 6, 16), 8, "hours") == at(2026, 3, 7, 16, 30)
    assert [(d.day, d.name_vi, d.source) for d in calendar.swapped_working_days_in(2026)] == [
        (date(2026, 3, 7), "Làm bù cho ngày nghỉ", "TB thử nghiệm"),
        (date(2026, 8, 22), "Ngày làm việc bù (hoán đổi)", LIBRARY_SOURCE),  # the package's swap for 31/8
    ]


def test_an_extra_day_off_entered_in_the_admin_moves_a_deadline(admin_client):
    page = admin_client.post("/admin/workdays/calendarday/add/", {
        "day": "2026-03-09", "name_vi": "Nghỉ thêm", "name_en": "Extra day off", "source": "QĐ thử nghiệm"})
    assert page.status_code == 302, page.content.decode()[:2000]
    assert store.working_calendar().add_working(at(2026, 3, 6, 9), 1, "days") == at(2026, 3, 10, 17)


def test_the_admin_lists_a_year_of_days_and_refuses_office_hours_out_of_order(admin_client):
    listing = admin_client.get("/admin/workdays/calendarday/?day__year=2026")
    assert listing.status_code == 200 and "TB 9441/TB-BNV" in listing.content.decode()
    page = admin_client.post("/admin/workdays/officehours/add/", {
        "valid_from": "2026-05-01", "weekdays": "12345", "morning_start": "08:00", "morning_end": "07:00",
        "afternoon_start": "13:00", "afternoon_end": "17:00"})
    assert page.status_code == 200 and "Office hours must be in order" in page.content.decode()
    assert not OfficeHours.objects.filter(valid_from=date(2026, 5, 1)).exists()


def test_summer_office_hours_from_a_date_apply_from_that_date():
    OfficeHours.objects.create(valid_from=date(2026, 5, 4), weekdays="12345", morning_start=time(7),
                               morning_end=time(11, 30), afternoon_start=time(13, 30), afternoon_end=time(17))
    calendar = store.working_calendar()
    assert calendar.add_working(at(2026, 4, 29, 16), 2, "hours") == at(2026, 5, 4, 8)  # 1 h + 07:00–08:00
    assert calendar.add_working(at(2026, 4, 28, 16), 2, "hours") == at(2026, 4, 29, 8, 30)


def test_a_deadline_computation_makes_no_query_once_the_calendar_is_loaded(django_assert_num_queries):
    with django_assert_num_queries(2):  # the calendar days and the office hours
        calendar = store.working_calendar()
    with django_assert_num_queries(0):
        assert store.working_calendar() is calendar
        calendar.add_working(at(2026, 2, 10, 9), 200, "days")
        calendar.working_between(at(2026, 1, 1), at(2027, 12, 31))
