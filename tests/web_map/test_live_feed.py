"""/api/live: rows inserted by plain SQL reach Server-Sent Events clients of the real server in 2 s."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import json
import queue
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import psycopg
import pytest
from django.conf import settings

from spatial.config import DatabaseConfig
from spatial.demo_accounts import DEMO_PASSWORD
from web_map.live_feed import HUB

pytestmark = pytest.mark.django_db
DEADLINE = 2.0
DONG_TAM = (104.9035, 21.689)  # inside the ward Đồng Tâm


class EventStream:
    """A minimal EventSource: a thread reads the stream into (kind, payload) messages."""

    def __init__(self, base: str, username: str | None = None) -> None:
        url = urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Accept": "text/event-stream"}
        if username:
            token = base64.b64encode(f"{username}:{DEMO_PASSWORD}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        self.conn.request("GET", "/api/live", headers=headers)
        self.response = self.conn.getresponse()
        self.messages: queue.Queue = queue.Queue()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith(":"):
                    self.messages.put(("comment", line[1:].strip()))
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line.startswith("retry:"):
                    self.messages.put(("retry", line[6:].strip()))
                elif line == "" and data:
                    self.messages.put((event, json.loads("\n".join(data))))
                    event, data = "message", []
        except (OSError, ValueError, AttributeError):  # closed by the test while reading
            pass

    def next(self, timeout: float) -> tuple[str, object]:
        return self.messages.get(timeout=timeout)

    def until(self, predicate, timeout: float) -> list[tuple[str, object]]:
        """Messages read until one satisfies `predicate` (raising if none does within `timeout`)."""
        seen, deadline = [], time.monotonic() + timeout
        while True:
            message = self.next(max(0.0, deadline - time.monotonic()))
            seen.append(message)
            if predicate(message):
                return seen

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def database() -> Iterator[psycopg.Connection]:
    """A plain autocommit connection to the test database, as QGIS or an importer would use; the
    rows a test inserts are deleted afterwards."""
    db = settings.DATABASES["default"]
    url = DatabaseConfig(name=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=int(db["PORT"])).as_url()
    with psycopg.connect(url, autocommit=True) as conn:
        yield conn
        conn.execute("DELETE FROM layers_incident WHERE code LIKE 'LIVE-%%'")
        conn.execute("DELETE FROM layers_detection WHERE track_id = -424242")


@pytest.fixture
def stream(server_url) -> Iterator:
    opened = []

    def open_stream(username: str | None = None) -> EventStream:
        events = EventStream(server_url, username)
        assert events.response.status == 200
        assert events.response.getheader("Content-Type").startswith("text/event-stream")
        assert events.until(lambda m: m == ("comment", "connected"), 5)[0] == ("retry", "2000")
        opened.append(events)
        return events

    yield open_stream
    for events in opened:
        events.close()


def insert_incident(database, code: str) -> tuple[int, float]:
    """Insert one incident by plain SQL; its id and the moment of the commit."""
    row = database.execute(
        "INSERT INTO layers_incident (code, category, severity, status, title, description, source, "
        "reported_at, geom) VALUES (%s, 'fire', 'critical', 'new', 'Cháy nhà dân tổ 5', '', 'test', now(), "
        "ST_SetSRID(ST_MakePoint(%s, %s), 4326)) RETURNING id", [code, *DONG_TAM]).fetchone()
    return row[0], time.monotonic()


def insert_detection(database) -> int:
    return database.execute(
        "INSERT INTO layers_detection (camera_id, object_class, confidence, observed_at, track_id, geom) "
        "SELECT min(id), 'truck', 0.9, now(), -424242, ST_SetSRID(ST_MakePoint(%s, %s), 4326) "
        "FROM layers_camera RETURNING id", list(DONG_TAM)).fetchone()[0]


def is_feature(layer: str):
    return lambda message: message[0] == "feature" and message[1]["layer"] == layer


def test_an_operator_receives_an_incident_inserted_by_plain_sql_within_2_seconds(stream, database):
    events = stream("vanhanh")
    incident, committed = insert_incident(database, "LIVE-1")
    _, message = events.until(is_feature("incidents"), DEADLINE)[-1]
    assert time.monotonic() - committed < DEADLINE
    assert message["count"] == 1
    assert message["features"] == [{
        "id": incident, "lon": DONG_TAM[0], "lat": DONG_TAM[1], "time": message["features"][0]["time"],
        "value": "critical", "label": "Cháy nhà dân tổ 5"}]
    assert message["features"][0]["time"].endswith("+07:00")


def test_an_operator_receives_detections_with_their_class(stream, database):
    events = stream("vanhanh")
    detection = insert_detection(database)
    _, message = events.until(is_feature("detections"), DEADLINE)[-1]
    assert [(f["id"], f["value"]) for f in message["features"]] == [(detection, "truck")]


def test_anonymous_clients_get_public_events_only_and_a_heartbeat_every_10_seconds(stream, database):
    events = stream()
    insert_detection(database)
    incident, _ = insert_incident(database, "LIVE-2")
    seen = events.until(lambda m: m == ("comment", "heartbeat"), settings.CONFIG.live_heartbeat_seconds + 2)
    features = [payload for kind, payload in seen if kind == "feature"]
    assert [message["layer"] for message in features] == ["incidents"]  # no detections: restricted layer
    assert features[0]["features"][0]["id"] == incident


def test_a_worker_at_its_client_limit_answers_503_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(settings, "CONFIG", dataclasses.replace(settings.CONFIG, live_max_clients=1))
    first = client.get("/api/live")
    try:
        assert first.status_code == 200 and first["Content-Type"].startswith("text/event-stream")
        refused = client.get("/api/live")
        assert refused.status_code == 503 and refused["Retry-After"] == "10"
        assert "IOC_LIVE_MAX_CLIENTS" in refused.json()["description"]
    finally:
        first.close()
    second = client.get("/api/live")  # closing the first stream gave its place back
    assert second.status_code == 200
    second.close()
    assert HUB.wait_stopped(5), "the listener keeps its connection after the last client left"


def test_a_client_that_goes_away_gives_its_place_back_on_the_real_server(start_server):
    base = start_server(IOC_WORKERS="1", IOC_LIVE_MAX_CLIENTS="1", IOC_LIVE_HEARTBEAT_SECONDS="1")
    first = EventStream(base)
    assert first.response.status == 200
    refused = EventStream(base)
    assert refused.response.status == 503  # the one place is taken
    refused.close()
    first.close()  # the browser tab closes: the server notices at its next heartbeat
    deadline = time.monotonic() + 10
    while (again := EventStream(base)).response.status == 503 and time.monotonic() < deadline:
        again.close()
        time.sleep(0.5)
    assert again.response.status == 200, "a closed client kept its place on the live feed"
    again.close()
