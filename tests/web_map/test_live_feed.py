"""/api/live: rows inserted by plain SQL reach Server-Sent Events clients of the real server in 2 s;
clients that go away give their place back at once, one address cannot take every place, and a
stream whose credentials stop holding is closed by the server within seconds."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import itertools
import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from spatial.auth import issue_token
from spatial.config import Config, ConfigError, DatabaseConfig
from spatial.demo_accounts import DEMO_PASSWORD
from spatial.models import ApiToken
from web_map.live_feed import HUB

pytestmark = pytest.mark.django_db
DEADLINE = 2.0
DONG_TAM = (104.9035, 21.689)  # inside the ward Đồng Tâm


class EventStream:
    """A minimal EventSource: a thread reads the stream into (kind, payload) messages."""

    def __init__(self, base: str, username: str | None = None, **headers: str) -> None:
        url = urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Accept": "text/event-stream", **headers}
        if username:
            headers["Authorization"] = basic(username)
        self.conn.request("GET", "/api/live", headers=headers)
        self.sock = self.conn.sock  # kept: the connection hands it to the response
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
        self.messages.put(("end", None))  # the server ended the stream (or the test closed it)

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
        """Close at once: the socket is shut down first, which ends the reading thread's wait (closing the
        response alone waits for the reader, that is for the server's next message, up to a heartbeat)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # the server has closed it already
            pass
        self.conn.close()


def basic(username: str, password: str = DEMO_PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def connect_and_drop(base: str) -> None:
    """A careless client: opens the stream, reads its first bytes and closes the socket."""
    url = urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(b"GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        sock.recv(64)


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
        "value": "critical", "label": "Cháy nhà dân tổ 5", "pin": "critical"}]  # pinned: critical
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


def limits(monkeypatch, **values: int) -> None:
    monkeypatch.setattr(settings, "CONFIG", dataclasses.replace(settings.CONFIG, **values))


def test_one_client_address_cannot_take_every_place(client, monkeypatch):
    limits(monkeypatch, live_max_clients=3, live_max_per_client=2)
    held = [client.get("/api/live", REMOTE_ADDR="10.0.0.1") for _ in range(2)]
    try:
        assert [response.status_code for response in held] == [200, 200]
        refused = client.get("/api/live", REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 503 and refused["Retry-After"] == "10"
        assert "IOC_LIVE_MAX_PER_CLIENT" in refused.json()["description"]
        another = client.get("/api/live", REMOTE_ADDR="10.0.0.2")  # the last place is someone else's
        assert another.status_code == 200
        another.close()
    finally:
        for response in held:
            response.close()


@pytest.mark.parametrize("name", ["IOC_LIVE_MAX_CLIENTS", "IOC_LIVE_MAX_PER_CLIENT",
                                  "IOC_LIVE_HEARTBEAT_SECONDS", "IOC_LIVE_RECHECK_SECONDS"])
def test_live_feed_limits_and_intervals_below_one_are_refused_at_start(monkeypatch, name):
    monkeypatch.setenv(name, "0")
    with pytest.raises(ConfigError, match=f"{name}=0"):
        Config.from_env()


def test_twenty_clients_that_connect_and_drop_lock_no_one_out(start_server):
    base = start_server(IOC_WORKERS="1")  # the default limits and heartbeat
    for _ in range(24):
        connect_and_drop(base)
    started = time.monotonic()
    welcome = EventStream(base)
    try:
        assert welcome.response.status == 200, "clients that went away still hold the live feed's places"
        assert time.monotonic() - started < 2.0
        assert welcome.until(lambda m: m == ("comment", "connected"), 2)
    finally:
        welcome.close()


RECHECK_SECONDS = 1
ACCOUNT = "live.kiemtra"
ACCOUNTS = itertools.count(1)


def committed(work: Callable[[], object]) -> object:
    """Run `work` on a database connection of its own, committed at once (as a command run by an
    administrator in another process would be): the real server sees it."""
    def run() -> object:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture(scope="module")
def rechecking_server(start_module_server) -> str:
    """The server of the credential tests, shared by them: one worker, a heartbeat every second and the
    credentials of every stream checked again every RECHECK_SECONDS."""
    return start_module_server(IOC_WORKERS="1", IOC_LIVE_HEARTBEAT_SECONDS="1",
                               IOC_LIVE_RECHECK_SECONDS=str(RECHECK_SECONDS))


@pytest.fixture
def account(django_db_blocker) -> Iterator:
    """A committed user with no role and a name of its own (the shared server remembers a verified Basic
    header for a minute: the same name and password would find an earlier test's user), deleted (with its
    tokens) after the test."""
    users = get_user_model().objects
    username = f"{ACCOUNT}.{next(ACCOUNTS)}"
    with django_db_blocker.unblock():
        user = committed(lambda: users.create_user(username, password=DEMO_PASSWORD))
    yield user
    with django_db_blocker.unblock():
        committed(lambda: users.filter(pk=user.pk).delete())


class SignedIn:
    """A live client's credentials for `account`: a personal token, HTTP Basic or a browser session."""

    def __init__(self, base: str, account, kind: str) -> None:
        self.base, self.account = base, account
        if kind == "token":
            self.headers = {"Authorization": "Bearer " + committed(lambda: issue_token(account, "live"))}
        elif kind == "basic":
            self.headers = {"Authorization": basic(account.username)}
        else:
            self.browser = requests.Session()
            csrf = self.browser.get(f"{base}/api/session", timeout=10).json()["csrfToken"]
            signed = self.browser.post(f"{base}/api/session/login", headers={"X-CSRFToken": csrf}, timeout=30,
                                       json={"username": account.username, "password": DEMO_PASSWORD})
            assert signed.status_code == 200, signed.text
            self.headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.browser.cookies.items())}

    def revoke_the_token(self) -> None:
        committed(lambda: ApiToken.objects.filter(user=self.account).update(revoked_at=timezone.now()))

    def deactivate_the_user(self) -> None:
        committed(lambda: get_user_model().objects.filter(pk=self.account.pk).update(is_active=False))

    def change_the_password(self) -> None:
        def change() -> None:
            self.account.set_password("mat-khau-moi-2026")
            self.account.save(update_fields=["password"])
        committed(change)

    def log_out(self) -> None:
        csrf = self.browser.get(f"{self.base}/api/session", timeout=10).json()["csrfToken"]
        out = self.browser.post(f"{self.base}/api/session/logout", headers={"X-CSRFToken": csrf}, timeout=10)
        assert out.status_code == 200 and out.json()["username"] is None


@pytest.mark.parametrize(("kind", "change"), [
    ("token", SignedIn.revoke_the_token), ("token", SignedIn.deactivate_the_user),
    ("basic", SignedIn.deactivate_the_user), ("basic", SignedIn.change_the_password),
    ("session", SignedIn.log_out), ("session", SignedIn.deactivate_the_user),
], ids=lambda value: value if isinstance(value, str) else value.__name__)
def test_a_stream_whose_credentials_stop_holding_ends_within_seconds(rechecking_server, account, kind,
                                                                    change):
    base = rechecking_server
    signed = SignedIn(base, account, kind)
    events = EventStream(base, **signed.headers)
    try:
        assert events.response.status == 200
        for _ in range(2):  # two heartbeats: the credentials were checked at least once and held
            assert ("end", None) not in events.until(lambda m: m == ("comment", "heartbeat"), 3)
        change(signed)
        changed = time.monotonic()
        seen = events.until(lambda m: m == ("end", None), RECHECK_SECONDS + 3)
        assert time.monotonic() - changed < RECHECK_SECONDS + 2
        closing = [payload for kind, payload in seen if kind == "closed"]
        assert [message["code"] for message in closing] == ["NotAuthenticated"]
    finally:
        events.close()
