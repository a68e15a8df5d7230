"""Deadline warnings and escalation, on a frozen clock: a report that has used 75 % of its working
time is announced to its unit once; one past its deadline is escalated to the unit's head and the
operators once. Working time skips weekends and holidays, so the instants below are exact.

The report: category policy 2 working days, received Wednesday 29/4/2026 10:00. 30/4 and 1/5 are
holidays and 2–3/5 a weekend, so it is due Tuesday 5/5 17:00 after 20 working hours (Wed 5 h,
Mon 7.5 h, Tue 7.5 h): 75 % (15 h) is reached on Tuesday at 10:00.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point

from feedback.models import CategoryPolicy
from feedback.sla import check_deadlines
from layers.models import CitizenReport, ResponsibleUnit
from notify.models import Event

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def report() -> CitizenReport:
    CategoryPolicy.objects.update_or_create(category="environment",
                                            defaults={"deadline": 2, "deadline_unit": "days"})
    unit = ResponsibleUnit.objects.create(code="SLA-UNIT", name="UBND thử", unit_kind="commune",
                                          email="ubnd.thu@example.vn", head_email="chutich@example.vn")
    return CitizenReport.objects.create(
        code="PA-SLA-1", category="environment", channel="app", status="assigned", unit=unit,
        responsible_unit=unit.name, title="Rác thải ùn ứ", received_at=at(29, 4, 10),
        geom=Point(104.9035, 21.689, srid=4326))


def sent(stage: str) -> int:
    return Event.objects.filter(type=f"feedback.report.deadline_{stage}", payload__code="PA-SLA-1").count()


def test_the_deadline_counts_working_days_across_the_holidays_and_the_weekend(report):
    report.refresh_from_db()
    assert report.due_at == at(5, 5, 17)


def test_a_warning_at_75_percent_and_an_escalation_at_the_deadline_each_exactly_once(report):
    for moment in (at(30, 4, 12), at(1, 5, 9), at(3, 5, 15), at(4, 5, 17), at(5, 5, 9, 59)):
        check_deadlines(moment)
    assert (sent("warning"), sent("breach")) == (0, 0), "75 % is not reached before Tuesday 10:00"

    check_deadlines(at(5, 5, 10))
    check_deadlines(at(5, 5, 16, 59))
    assert (sent("warning"), sent("breach")) == (1, 0)

    for moment in (at(5, 5, 17), at(5, 5, 17, 30), at(6, 5, 9), at(11, 5, 9)):
        check_deadlines(moment)
    assert (sent("warning"), sent("breach")) == (1, 1)
    report.refresh_from_db()
    assert (report.warned_at, report.escalated_at) == (at(5, 5, 10), at(5, 5, 17))


def test_the_warning_goes_to_the_unit_and_the_escalation_to_its_head(report, settings):
    settings.EMAIL_HOST = "127.0.0.1"  # e-mail is queued only when a relay is set
    check_deadlines(at(5, 5, 10))
    check_deadlines(at(5, 5, 17))
    warning = Event.objects.get(type="feedback.report.deadline_warning", payload__code=report.code)
    breach = Event.objects.get(type="feedback.report.deadline_breach", payload__code=report.code)
    assert sorted(d.target for d in warning.deliveries.filter(channel="email")) == ["ubnd.thu@example.vn"]
    assert "chutich@example.vn" in {d.target for d in breach.deliveries.filter(channel="email")}


def test_a_closed_report_is_never_warned(report):
    CitizenReport.objects.filter(pk=report.pk).update(status="resolved", resolved_at=at(4, 5, 9))
    check_deadlines(at(6, 5, 9))
    assert (sent("warning"), sent("breach")) == (0, 0)
