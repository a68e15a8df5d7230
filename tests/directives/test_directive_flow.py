"""A leader's directive to a unit, end to end through /api/directives/ (#19 acceptance): `lanhdao`
issues it to UBND Nam Cường, whose staff member `xuly.namcuong` acknowledges it, reports progress and
closes it with evidence; the history says who did what and when, and each step is told outside
(webhooks and MQTT events, the unit's e-mail on issue)."""

from __future__ import annotations

from datetime import datetime

import pytest
from directive_api import API, LEADER, STAFF, get, in_days, issue, jpeg, move
from django.utils import timezone
from django_fsm_log.models import StateLog

from directives.models import Directive
from notify.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_relay(settings):
    settings.EMAIL_HOST = "127.0.0.1"  # e-mail is queued only when a relay is set


def test_a_directive_from_the_leader_is_acknowledged_and_closed_with_evidence_by_the_unit(
        client, as_user, unit_a):
    before = timezone.now()
    answer = issue(client, as_user, units=[unit_a.pk], title="Xử lý rác thải tồn đọng",
                   text="Yêu cầu UBND phường thu gom dứt điểm rác thải tại chợ trước hạn.",
                   due_at=in_days(2).isoformat(), priority="urgent")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    (issued,) = body["directives"]
    assert issued["status"] == "issued" and issued["unit"]["name"] == unit_a.name
    assert issued["batch"] == body["batch"] and issued["code"].startswith(body["batch"])
    assert issued["issued_by"]["username"] == LEADER and issued["priority"]["code"] == "urgent"
    assert issued["ward"] is not None, "placed in the unit's area when no place is given"
    pk = issued["id"]

    mine = get(client, as_user, user=STAFF).json()
    assert pk in [row["id"] for row in mine["directives"]]
    case = get(client, as_user, f"{pk}", user=STAFF).json()
    assert [m["name"] for m in case["moves"]] == ["acknowledge"]

    acknowledged = move(client, as_user, pk, "acknowledge", note="Đã nhận, sẽ triển khai ngay.")
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["status"] == "acknowledged" and acknowledged.json()["acknowledged_at"]

    progress = move(client, as_user, pk, "progress", note="Đã thu gom 70 % khối lượng.",
                    photos=(jpeg("blue"),))
    assert progress.status_code == 200, progress.content
    assert progress.json()["status"] == "in_progress"

    refused = move(client, as_user, pk, "done", note="Đã hoàn thành.")
    assert refused.status_code == 400 and refused.json()["description"].startswith("photos:")

    done = move(client, as_user, pk, "done", note="Đã thu gom xong, khu vực chợ sạch sẽ.",
                photos=(jpeg("green"), jpeg("white")))
    assert done.status_code == 200, done.content
    closed = done.json()
    assert closed["status"] == "done" and closed["overdue"] is False and closed["done_at"]
    assert closed["moves"] == []

    after = timezone.now()
    history = get(client, as_user, f"{pk}", user=LEADER).json()["history"]
    steps = [(step["status"], step["move"], step["by"]["username"]) for step in history]
    assert steps == [("issued", "issue", LEADER), ("acknowledged", "acknowledge", STAFF),
                     ("in_progress", "progress", STAFF), ("done", "done", STAFF)]
    assert [step["text"] for step in history][1:] == [
        "Đã nhận, sẽ triển khai ngay.", "Đã thu gom 70 % khối lượng.",
        "Đã thu gom xong, khu vực chợ sạch sẽ."]
    times = [datetime.fromisoformat(step["at"]) for step in history]
    assert before.replace(microsecond=0) <= times[0] <= times[1] <= times[2] <= times[3] <= after
    assert [len(step["photos"]) for step in history] == [0, 0, 1, 2]
    assert StateLog.objects.for_(Directive.objects.get(pk=pk)).count() == 3

    photo = client.get(history[3]["photos"][0], **as_user(LEADER))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo.getvalue()[:2] == b"\xff\xd8"

    code = issued["code"]
    told = list(Event.objects.filter(type__startswith="directives.directive.", payload__code=code)
                .order_by("occurred_at", "id"))
    assert [event.type for event in told] == [
        "directives.directive.issued", "directives.directive.acknowledged",
        "directives.directive.in_progress", "directives.directive.done"]
    assert told[0].payload["unit"] == unit_a.code and told[3].payload["note"].startswith("Đã thu gom xong")
    unit_mail = [d.target for d in told[0].deliveries.filter(channel="email")]
    assert unit_mail == [unit_a.email], "the unit hears of the directive given to it"


def test_issuing_to_several_units_makes_one_directive_each_under_one_batch(client, as_user, unit_a, unit_b):
    answer = issue(client, as_user, units=[unit_a.pk, unit_b.pk])
    assert answer.status_code == 201, answer.content
    body = answer.json()
    rows = body["directives"]
    assert [row["unit"]["id"] for row in rows] == [unit_a.pk, unit_b.pk]
    assert {row["batch"] for row in rows} == {body["batch"]}
    assert len({row["code"] for row in rows}) == 2
    assert Directive.objects.filter(batch=body["batch"]).count() == 2
    listed = get(client, as_user, batch=body["batch"]).json()
    assert listed["total"] == 2


def test_a_directive_is_placed_where_it_is_asked_at_its_linked_report_or_in_its_units_area(
        client, as_user, unit_a):
    from layers.models import CitizenReport

    at_point = issue(client, as_user, units=[unit_a.pk], lon=104.9035, lat=21.689).json()["directives"][0]
    assert (at_point["lon"], at_point["lat"]) == (104.9035, 21.689)
    assert at_point["ward"]["name"] == "Yên Bái"  # the commune holding the point today (Đồng Tâm before 2025)
    report = CitizenReport.objects.filter(unit=unit_a).order_by("pk").first()
    linked = issue(client, as_user, units=[unit_a.pk], report=report.pk).json()["directives"][0]
    assert (linked["lon"], linked["lat"]) == pytest.approx((report.geom.x, report.geom.y))
    assert linked["links"]["report"] == {"id": report.pk, "code": report.code, "title": report.title}
    in_area = issue(client, as_user, units=[unit_a.pk], alert=42).json()["directives"][0]
    assert unit_a.geom.contains(Directive.objects.get(pk=in_area["id"]).geom)
    assert in_area["links"]["alert"] == 42


def test_the_leader_cancels_with_a_reason_and_nothing_moves_after(client, as_user, unit_a):
    pk = issue(client, as_user, units=[unit_a.pk]).json()["directives"][0]["id"]
    assert move(client, as_user, pk, "cancel", user=LEADER).json()["description"].startswith("reason:")
    cancelled = move(client, as_user, pk, "cancel", user=LEADER, reason="Đã giao nhầm đơn vị.")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    late = move(client, as_user, pk, "acknowledge")
    assert late.status_code == 409 and late.json()["description"].startswith("status:")
    assert get(client, as_user, f"{pk}").json()["history"][-1]["text"] == "Đã giao nhầm đơn vị."


def test_the_list_has_what_the_map_and_the_list_need(client, as_user, unit_a):
    issue(client, as_user, units=[unit_a.pk])
    body = get(client, as_user).json()
    assert body["total"] == Directive.objects.count()
    assert set(body["counts"]) == {"issued", "acknowledged", "in_progress", "done", "cancelled"}
    row = body["directives"][0]
    assert {"id", "code", "batch", "version", "title", "text", "priority", "status", "status_vi", "status_en",
            "color", "unit", "ward", "issued_by", "issued_at", "due_at", "acknowledged_at", "done_at",
            "escalated_at", "overdue", "links", "lon", "lat"} <= set(row)
    assert get(client, as_user, f="geojson").json()["type"] == "FeatureCollection"
    assert API.endswith("/")
