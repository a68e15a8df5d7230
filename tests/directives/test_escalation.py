"""An overdue directive is escalated once, on a frozen clock: to the leader who issued it and the unit's
head (e-mail), and as the event `directives.directive.overdue` (webhooks, MQTT). The periodic job reads
its own scheduled time as the clock, so running it twice at the same moment, or later again, escalates
nothing more. Closed directives (done, cancelled) are never escalated, however late they were."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from directive_api import LEADER
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from directives.escalation import check_overdue
from directives.models import Directive
from directives.tasks import QUEUE, check_overdue_job
from layers.models import ResponsibleUnit
from notify.models import Event

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
OVERDUE = "directives.directive.overdue"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of May 2026 in Vietnam (fixed: the test does not read today's date)."""
    return datetime(2026, 5, day, hour, minute, tzinfo=VN)


@pytest.fixture
def unit(settings) -> ResponsibleUnit:
    settings.EMAIL_HOST = "127.0.0.1"  # e-mail is queued only when a relay is set
    return ResponsibleUnit.objects.create(
        code="CD-UNIT", name="UBND thử chỉ đạo", unit_kind="commune", email="ubnd.chidao@example.vn",
        head_email="chutich.chidao@example.vn")


def directive(unit: ResponsibleUnit, code: str, status: str = "acknowledged",
              done_at: datetime | None = None) -> Directive:
    leader = get_user_model().objects.get(username=LEADER)
    leader.email = "lanhdao@example.vn"
    leader.save()
    return Directive.objects.create(
        code=code, batch=code, unit=unit, issued_by=leader, title="Dọn dẹp bãi rác tự phát",
        text="Yêu cầu xử lý dứt điểm.", status=status, issued_at=at(4, 9), due_at=at(6, 17),
        done_at=done_at, geom=Point(104.9035, 21.689, srid=4326))


def told(code: str) -> list[Event]:
    return list(Event.objects.filter(type=OVERDUE, payload__code=code))


def test_a_late_directive_escalates_exactly_once(unit):
    late = directive(unit, "CD-LATE-1")
    for moment in (at(5, 9), at(6, 16, 59), at(6, 17)):
        check_overdue(moment)
    assert told(late.code) == [], "not before its deadline has passed"

    check_overdue(at(6, 17, 1))
    check_overdue(at(6, 17, 1))  # twice at the same moment (two workers)
    check_overdue(at(8, 9))  # and later again
    (event,) = told(late.code)
    late.refresh_from_db()
    assert late.escalated_at == at(6, 17, 1)
    assert event.payload["unit"] == "CD-UNIT" and event.payload["status"] == "acknowledged"
    assert event.payload["due_at"] == at(6, 17).isoformat()
    assert sorted(d.target for d in event.deliveries.filter(channel="email")) == [
        "chutich.chidao@example.vn", "lanhdao@example.vn"]
    message = event.deliveries.filter(channel="email").first().message
    assert "quá hạn" in message["text"] and "CD-LATE-1" in message["subject"]


def test_the_periodic_job_takes_its_scheduled_time_as_the_clock(unit):
    late = directive(unit, "CD-LATE-2")
    assert check_overdue_job.queue == QUEUE == "directives"
    scheduled = int(at(7, 8).timestamp())
    check_overdue_job(timestamp=scheduled)
    check_overdue_job(timestamp=scheduled)
    assert len(told(late.code)) == 1
    late.refresh_from_db()
    assert late.escalated_at == at(7, 8)


def test_closed_directives_are_never_escalated(unit):
    done_late = directive(unit, "CD-DONE-LATE", status="done", done_at=at(7, 10))
    cancelled = directive(unit, "CD-CANCELLED", status="cancelled")
    check_overdue(at(9, 9))
    assert told(done_late.code) == [] and told(cancelled.code) == []


def test_without_a_head_the_units_own_address_hears_of_it(unit):
    ResponsibleUnit.objects.filter(pk=unit.pk).update(head_email="")
    unit.refresh_from_db()
    late = directive(unit, "CD-LATE-3")
    check_overdue(at(6, 18))
    (event,) = told(late.code)
    assert sorted(d.target for d in event.deliveries.filter(channel="email")) == [
        "lanhdao@example.vn", "ubnd.chidao@example.vn"]
