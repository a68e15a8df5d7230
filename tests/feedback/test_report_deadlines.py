"""A report's deadline: its category's working hours or days on the working calendar from receipt,
moved on by the time it waited for the citizen."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback import deadlines
from feedback.models import CategoryPolicy
from layers.models import CitizenReport
from workdays.store import working_calendar

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEDNESDAY_BEFORE_30_4 = datetime(2026, 4, 29, 10, 0, tzinfo=VN)  # 30/4 and 1/5 off, then a weekend


def policy(category: str, deadline: int, unit: str) -> None:
    CategoryPolicy.objects.update_or_create(category=category,
                                            defaults={"deadline": deadline, "deadline_unit": unit})


def received(category: str, at: datetime, status: str = "received") -> CitizenReport:
    """A new report made from the first demo one, received at `at` with no deadline given."""
    report = CitizenReport.objects.order_by("pk").first()
    report.pk, report.id, report._state.adding = None, None, True
    report.code, report.category, report.status = f"D-{CitizenReport.objects.count()}", category, status
    report.received_at, report.due_at, report.resolved_at = at, None, None
    report.save()
    return CitizenReport.objects.get(pk=report.pk)


def test_a_received_report_is_due_after_its_categorys_working_days_across_holidays_and_a_weekend():
    policy("land", 2, "days")
    report = received("land", WEDNESDAY_BEFORE_30_4)
    assert report.due_at == datetime(2026, 5, 5, 17, 0, tzinfo=VN)  # Mon 4/5, Tue 5/5 at closing


def test_a_deadline_in_working_hours_skips_the_days_off():
    policy("security", 8, "hours")
    report = received("security", WEDNESDAY_BEFORE_30_4)
    assert report.due_at.astimezone(VN).date() == datetime(2026, 5, 4).date()
    assert report.due_at == working_calendar().add_working(WEDNESDAY_BEFORE_30_4, 8, "hours")


def test_a_category_without_a_policy_gets_the_default_fifteen_working_days():
    CategoryPolicy.objects.filter(category="administrative").delete()
    report = received("administrative", WEDNESDAY_BEFORE_30_4)
    assert report.due_at == working_calendar().add_working(WEDNESDAY_BEFORE_30_4, 15, "days")


def test_a_deadline_given_is_kept():
    report = CitizenReport.objects.order_by("pk").first()
    kept = report.due_at
    report.save()
    assert CitizenReport.objects.get(pk=report.pk).due_at == kept


def test_waiting_for_the_citizen_pushes_the_deadline_back_by_the_working_time_waited():
    policy("land", 10, "days")
    report = received("land", datetime(2026, 6, 1, 9, 0, tzinfo=VN), status="in_progress")  # a Monday
    before = report.due_at
    report.ask_citizen("Xin bổ sung giấy tờ")
    report.save()
    # the citizen took two working days (Tue 2/6 9:00 to Thu 4/6 9:00) to answer
    report.pauses.update(started_at=datetime(2026, 6, 2, 9, 0, tzinfo=VN))
    report.citizen_replied()
    report.pauses.update(ended_at=datetime(2026, 6, 4, 9, 0, tzinfo=VN))
    report.due_at = deadlines.due_at(report)  # as citizen_replied set it, with the pause's real end
    report.save()
    assert report.status == "in_progress"
    calendar = working_calendar()
    waited = calendar.working_between(datetime(2026, 6, 2, 9, 0, tzinfo=VN),
                                      datetime(2026, 6, 4, 9, 0, tzinfo=VN))
    assert waited > timedelta(hours=10)
    assert calendar.working_between(before, report.due_at) == waited


def test_citizen_replied_moves_the_deadline():
    policy("land", 10, "days")
    report = received("land", datetime(2026, 6, 1, 9, 0, tzinfo=VN), status="in_progress")
    before = report.due_at
    report.ask_citizen("Xin bổ sung giấy tờ")
    report.save()
    report.pauses.update(started_at=datetime(2026, 6, 2, 9, 0, tzinfo=VN))
    report.citizen_replied()  # now: long after the deadline, so the whole rest of it was paused
    report.save()
    assert CitizenReport.objects.get(pk=report.pk).due_at > before
