"""A PATCH of a report's status (or unit) through the editing API runs the matching transition,
logged with the editor and the document's public text (`note`)."""

from __future__ import annotations

import json

import pytest
from django_fsm_log.models import StateLog

from feedback.routing import route
from layers.models import CitizenReport, ResponsibleUnit

pytestmark = pytest.mark.django_db
GEOJSON = "application/geo+json"


def patch(client, as_user, report: CitizenReport, body: dict, user: str = "vanhanh"):
    return client.patch(f"/ogc/collections/citizen_reports/items/{report.pk}", json.dumps(body),
                        content_type=GEOJSON, HTTP_IF_MATCH=f'"{report.version}"', **as_user(user))


def log_of(report: CitizenReport) -> list[tuple]:
    return list(StateLog.objects.for_(report).order_by("pk")
                .values_list("transition", "source_state", "state", "by__username", "description"))


def test_patching_assigned_runs_assign_to_the_routed_unit(client, as_user):
    report = CitizenReport.objects.filter(status="received").order_by("pk").first()
    answer = patch(client, as_user, report, {"properties": {"status": "assigned"}})
    assert answer.status_code == 200, answer.content
    stored = CitizenReport.objects.get(pk=report.pk)
    unit = route(report.category, report.ward_id)
    assert (stored.status, stored.unit, stored.responsible_unit) == ("assigned", unit, unit.name)
    assert log_of(stored) == [("assign", "received", "assigned", "vanhanh", None)]


def test_patching_resolved_runs_resolve_with_the_public_response(client, as_user):
    report = CitizenReport.objects.filter(status="in_progress").order_by("pk").first()
    before = log_of(report)  # the demo report's history so far (democity.histories)
    without = patch(client, as_user, report, {"properties": {"status": "resolved"}})
    assert without.status_code == 400
    assert "response is required" in without.json()["description"]
    answer = patch(client, as_user, report, {"properties": {"status": "resolved"}, "note": "Đã thu gom rác."})
    assert answer.status_code == 200, answer.content
    stored = CitizenReport.objects.get(pk=report.pk)
    assert stored.status == "resolved" and stored.resolved_at is not None
    assert log_of(stored) == [*before, ("resolve", "in_progress", "resolved", "vanhanh", "Đã thu gom rác.")]


def test_patching_a_status_without_a_transition_is_refused(client, as_user):
    report = CitizenReport.objects.filter(status="received").order_by("pk").first()
    answer = patch(client, as_user, report, {"properties": {"status": "waiting"}})
    assert answer.status_code == 400
    assert "may become ['assigned', 'rejected']" in answer.json()["description"]
    assert log_of(report) == []


def test_patching_the_unit_of_an_assigned_report_runs_reassign_with_its_reason(client, as_user):
    report = CitizenReport.objects.filter(status="assigned").order_by("pk").first()
    before = log_of(report)
    other = ResponsibleUnit.objects.filter(active=True).exclude(pk=report.unit_id).order_by("code").first()
    answer = patch(client, as_user, report, {"properties": {"unit": other.pk}, "note": "Không đúng địa bàn"})
    assert answer.status_code == 200, answer.content
    stored = CitizenReport.objects.get(pk=report.pk)
    assert (stored.status, stored.unit, stored.responsible_unit) == ("assigned", other, other.name)
    assert log_of(stored) == [*before, ("reassign", "assigned", "assigned", "vanhanh", "Không đúng địa bàn")]


def test_a_unit_written_as_text_is_refused(client, as_user):
    report = CitizenReport.objects.filter(status="assigned").order_by("pk").first()
    answer = patch(client, as_user, report, {"properties": {"responsible_unit": "UBND"}})
    assert answer.status_code == 400
