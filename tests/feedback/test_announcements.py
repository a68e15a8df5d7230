"""Every move of a report is told outside: an event `feedback.report.<status>` (webhooks, the MQTT
topic ioc/feedback/report/<status>) carrying no personal data; the citizen who left an e-mail hears
of each public step with the unit's answer; the unit hears when a report is given to it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from layers.models import CitizenReport, CitizenReporter, ResponsibleUnit
from notify.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(settings) -> CitizenReport:
    settings.EMAIL_HOST = "127.0.0.1"  # e-mail is queued only when a relay is set
    report = CitizenReport.objects.filter(status="received").order_by("pk").first()
    CitizenReporter.objects.update_or_create(report=report, defaults={
        "full_name": "Nguyễn Thị Mai", "phone": "0912345678", "email": "mai@example.vn", "id_number": "0011"})
    return report


def unit() -> ResponsibleUnit:
    found = ResponsibleUnit.objects.filter(active=True).order_by("code").first()
    ResponsibleUnit.objects.filter(pk=found.pk).update(email="donvi@example.vn")
    found.refresh_from_db()
    return found


def events(report: CitizenReport) -> list[Event]:
    return list(Event.objects.filter(payload__code=report.code).order_by("occurred_at", "id"))


def test_each_step_is_an_event_of_its_status_and_the_citizen_and_unit_are_written_to(report):
    operator = get_user_model().objects.get(username="vanhanh")
    report.assign(unit=unit(), by=operator)
    report.save()
    report.start(by=operator)
    report.save()
    report.resolve(response="Đã thu gom rác và vệ sinh khu vực.", by=operator)
    report.save()

    told = events(report)
    assert [event.type for event in told] == ["feedback.report.assigned", "feedback.report.in_progress",
                                              "feedback.report.resolved"]
    assigned, _started, resolved = told
    assert sorted(d.target for d in assigned.deliveries.filter(channel="email")) == ["donvi@example.vn",
                                                                                     "mai@example.vn"]
    assert [d.target for d in resolved.deliveries.filter(channel="email")] == ["mai@example.vn"]
    assert resolved.payload["status"] == "resolved" and resolved.payload["note"].startswith("Đã thu gom")
    mail = resolved.deliveries.get(channel="email").message
    assert "Đã thu gom rác" in json.dumps(mail, ensure_ascii=False)


def test_no_event_carries_the_reporters_personal_data(report):
    report.assign(unit=unit(), by=None)
    report.save()
    for event in events(report):
        text = json.dumps(event.payload, ensure_ascii=False)
        for secret in ("Nguyễn Thị Mai", "0912345678", "mai@example.vn", "0011"):
            assert secret not in text
