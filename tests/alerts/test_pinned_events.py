"""Pinned events: a new incident of high or critical severity (the incidents layer's declared priority)
is pinned on every wall until an operator acknowledges it; acknowledging is recorded once (who, when),
shown to the others for half an hour and refused the second time naming who took it; the live feed's
notice says which new rows are pinned. Times come from the clock the API reads (now), never a date."""

from __future__ import annotations

import json
from datetime import timedelta

import psycopg
import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from alerts.models import EventAcknowledgement
from layers.models import Incident
from layers.registry import registry

pytestmark = pytest.mark.django_db
URL = "/api/alerts/pinned"
DONG_TAM = (104.9035, 21.689)


def new_incident(code: str, severity: str, **fields) -> Incident:
    """An incident of `severity` reported now (or at `reported_at`) in Đồng Tâm."""
    return Incident.objects.create(code=code, category="fire", severity=severity, title=f"Sự cố {code}",
                                   status=fields.pop("status", "new"), geom=Point(*DONG_TAM, srid=4326),
                                   reported_at=fields.pop("reported_at", timezone.now()), **fields)


def pinned_ids(client, headers) -> list[int]:
    events = client.get(URL, **headers).json()["events"]
    return [event["id"] for event in events if event["layer"] == "incidents"]


def test_a_new_critical_or_high_incident_is_pinned_and_a_medium_one_is_not(client, as_user):
    critical = new_incident("PIN-1", "critical")
    high = new_incident("PIN-2", "high")
    medium = new_incident("PIN-3", "medium")
    answer = client.get(URL, **as_user("vanhanh")).json()
    by_id = {event["id"]: event for event in answer["events"] if event["layer"] == "incidents"}
    assert critical.pk in by_id and high.pk in by_id and medium.pk not in by_id
    event = by_id[critical.pk]
    assert (event["priority"], event["priority_vi"], event["priority_en"]) == ("critical", "Nghiêm trọng",
                                                                             "Critical")
    assert (event["label"], event["acknowledged"], event["layer_vi"]) == ("Sự cố PIN-1", None,
                                                                          registry.get("incidents").title_vi)
    assert (event["lon"], event["lat"]) == DONG_TAM and answer["may_acknowledge"] is True


def test_an_old_or_closed_incident_is_not_pinned(client, as_user):
    hours = registry.get("incidents").priority.hours
    old = new_incident("PIN-4", "critical", reported_at=timezone.now() - timedelta(hours=hours, minutes=1))
    closed = new_incident("PIN-5", "critical", status="closed")
    ids = pinned_ids(client, as_user("vanhanh"))
    assert old.pk not in ids and closed.pk not in ids


def test_an_operator_acknowledges_once_and_the_others_see_who(client, as_user):
    event = new_incident("PIN-6", "critical")
    answer = client.post(f"{URL}/incidents/{event.pk}/acknowledge", **as_user("vanhanh"))
    assert answer.status_code == 200, answer.content
    assert answer.json()["acknowledged"]["by"] == "vanhanh"
    ack = EventAcknowledgement.objects.get(layer="incidents", feature_id=event.pk)
    assert ack.by.username == "vanhanh" and abs(ack.at - timezone.now()) < timedelta(seconds=30)

    seen_by_leader = {e["id"]: e for e in client.get(URL, **as_user("lanhdao")).json()["events"]}
    assert seen_by_leader[event.pk]["acknowledged"]["by"] == "vanhanh"
    events = client.get(URL, **as_user("lanhdao")).json()["events"]
    waiting = [event["acknowledged"] is None for event in events]
    assert waiting == sorted(waiting, reverse=True)  # the unacknowledged first

    again = client.post(f"{URL}/incidents/{event.pk}/acknowledge", **as_user("quantri"))
    assert again.status_code == 409
    assert "đã xác nhận" in again.json()["description"]


def test_an_acknowledged_event_leaves_the_walls_after_half_an_hour(client, as_user):
    event = new_incident("PIN-7", "high")
    client.post(f"{URL}/incidents/{event.pk}/acknowledge", **as_user("vanhanh"))
    EventAcknowledgement.objects.filter(feature_id=event.pk).update(at=timezone.now() - timedelta(minutes=31))
    assert event.pk not in pinned_ids(client, as_user("vanhanh"))


def test_only_operators_acknowledge_and_only_pinned_events(client, as_user):
    event = new_incident("PIN-8", "critical")
    medium = new_incident("PIN-9", "medium")
    leader = client.post(f"{URL}/incidents/{event.pk}/acknowledge", **as_user("lanhdao"))
    assert leader.status_code == 403
    assert client.post(f"{URL}/incidents/{medium.pk}/acknowledge", **as_user("vanhanh")).status_code == 404
    assert client.post(f"{URL}/cameras/1/acknowledge", **as_user("vanhanh")).status_code == 404
    assert client.post(f"{URL}/incidents/{event.pk}/acknowledge").status_code == 401
    assert client.get(URL).status_code == 401


def test_the_live_notice_says_which_new_rows_are_pinned(committed_database_url):
    with psycopg.connect(committed_database_url, autocommit=True) as listener, \
            psycopg.connect(committed_database_url, autocommit=True) as writer:
        listener.execute("LISTEN ioc_events")
        writer.execute(
            "INSERT INTO layers_incident (code, category, severity, status, title, description, source, "
            "reported_at, geom, created_at, updated_at, version) VALUES "
            "('PIN-LIVE-1', 'fire', 'critical', 'new', 'Cháy', '', 'test', now(), "
            " ST_SetSRID(ST_MakePoint(104.9, 21.69), 4326), now(), now(), 1), "
            "('PIN-LIVE-2', 'fire', 'low', 'new', 'Khói', '', 'test', now(), "
            " ST_SetSRID(ST_MakePoint(104.9, 21.69), 4326), now(), now(), 1)")
        try:
            notices = [json.loads(n.payload) for n in listener.notifies(timeout=5, stop_after=1)]
        finally:
            writer.execute("DELETE FROM layers_incident WHERE code LIKE 'PIN-LIVE-%'")
    (notice,) = [n for n in notices if n["layer"] == "incidents"]
    assert {feature["label"]: feature["pin"] for feature in notice["features"]} == {"Cháy": "critical",
                                                                                   "Khói": None}


def test_a_detection_notice_carries_its_camera_for_the_tickers_count(committed_database_url):
    with psycopg.connect(committed_database_url, autocommit=True) as conn:
        camera_id, camera_name = conn.execute(
            "SELECT id, name FROM layers_camera ORDER BY code LIMIT 1").fetchone()
        conn.execute("LISTEN ioc_events")
        (detection_id,) = conn.execute(
            "INSERT INTO layers_detection (camera_id, object_class, confidence, observed_at, geom, "
            "ground_located) SELECT %s, 'car', 0.9, max(observed_at) + interval '1 microsecond', "
            "ST_SetSRID(ST_MakePoint(104.9, 21.69), 4326), true FROM layers_detection RETURNING id",
            [camera_id]).fetchone()  # in the demo's last partition
        try:
            notices = [json.loads(n.payload) for n in conn.notifies(timeout=5, stop_after=1)]
        finally:
            conn.execute("DELETE FROM layers_detection WHERE id = %s", [detection_id])
    (feature,) = notices[0]["features"]
    assert (feature["group"], feature["group_label"]) == (camera_id, camera_name[:60])


@pytest.fixture
def committed_database_url() -> str:
    """The test database's address, for connections of their own (what they write is committed)."""
    from spatial.config import DatabaseConfig

    return DatabaseConfig.of_django().as_url()

