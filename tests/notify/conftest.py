"""Notification fixtures: committed rows (the queue's worker reads them on its own connection), the
worker run in this process for a bounded time, and real receivers on free local ports: an HTTP server,
an SMTP server (aiosmtpd) and an MQTT subscriber on the local Mosquitto broker."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

BROKER = "mqtt://127.0.0.1:1883"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(predicate: Callable[[], object], timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def committed(db) -> Iterator[Callable]:
    """committed(fn, *args, **kwargs) runs fn as the application would: in a thread of its own, on its own
    database connection, outside the test's transaction, so what it writes is committed and the queue's
    worker sees it. The test's own connection reads committed rows (READ COMMITTED). The outbox's rows and
    the jobs queued meanwhile are removed after the test."""
    from django.db import connection

    def run(fn: Callable, *args, **kwargs):
        outcome: dict = {}

        def target() -> None:
            try:
                outcome["value"] = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 (raised again in the caller's thread)
                outcome["error"] = exc
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def sql(*statements: tuple[str, list]) -> list:
        with connection.cursor() as cursor:
            results = []
            for statement, params in statements:
                cursor.execute(statement, params)
                results.append(cursor.fetchone() if cursor.description else None)
            return results

    (last_job, last_endpoint, started) = run(sql, (
        "SELECT (SELECT coalesce(max(id), 0) FROM procrastinate_jobs),"
        " (SELECT coalesce(max(id), 0) FROM notify_webhookendpoint), clock_timestamp()", []))[0]
    yield run
    run(sql,
        ("DELETE FROM notify_delivery WHERE endpoint_id > %s"
         " OR event_id IN (SELECT id FROM notify_event WHERE occurred_at >= %s)", [last_endpoint, started]),
        ("DELETE FROM notify_event WHERE occurred_at >= %s", [started]),
        ("DELETE FROM notify_webhookendpoint WHERE id > %s", [last_endpoint]),
        # the notify jobs, and the periodic jobs an in-process worker defers (vision's housekeeping)
        ("DELETE FROM procrastinate_jobs WHERE id > %s AND status <> 'doing'", [last_job]))


@pytest.fixture
def run_jobs(committed) -> Callable[..., None]:
    """run_jobs(until, timeout) runs the notify queue's worker in this process (on its own database
    connection, as `ioc procrastinate worker --queues notify` does) until `until()` is true; without
    `until`, until the queue holds nothing due."""
    from procrastinate.contrib.django import app

    from notify.tasks import QUEUE

    def run(until: Callable[[], object] | None = None, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        with app.replace_connector(app.connector.get_worker_connector()):
            while True:
                app.run_worker(queues=[QUEUE], wait=False, listen_notify=False, concurrency=1)
                if until is None or until():
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"the notify jobs did not finish within {timeout} s")
                time.sleep(0.05)

    return run


# --- an HTTP receiver ---------------------------------------------------------------------------------------


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that records every POST and answers the statuses it is given, then 200."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    port = free_port()
    state = Receiver(url=f"http://127.0.0.1:{port}/hooks/ioc")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(Received(time.monotonic(), self.path, dict(self.headers.items()), body))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# --- an SMTP server -----------------------------------------------------------------------------------------


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on a free local port; .messages holds (recipients, message)."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox("127.0.0.1", free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


# --- MQTT ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mqtt_url(tmp_path_factory) -> Iterator[str]:
    """The local broker on 127.0.0.1:1883; when none answers there, a Mosquitto started on a free port."""
    if answers("127.0.0.1", 1883):
        yield BROKER
        return
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not shutil.which(binary):
        pytest.fail("no MQTT broker on 127.0.0.1:1883 and no mosquitto to start (scripts/lib.sh installs it)")
    port = free_port()
    conf = tmp_path_factory.mktemp("mosquitto") / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    broker = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: answers("127.0.0.1", port), 10, "mosquitto to listen")
        yield f"mqtt://127.0.0.1:{port}"
    finally:
        broker.terminate()
        broker.wait(timeout=10)


@dataclass
class Subscription:
    messages: list = field(default_factory=list)  # paho MQTTMessage: .topic, .payload, .qos


@pytest.fixture
def subscriber(mqtt_url) -> Iterator[Callable[[str], Subscription]]:
    """subscriber(topic filter) → a paho client subscribed (SUBACK received) at QoS 1 on the broker."""
    import paho.mqtt.client as mqtt

    clients = []

    def subscribe(topic: str) -> Subscription:
        found = Subscription()
        subscribed = threading.Event()
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-notify-{free_port()}")
        client.on_message = lambda _c, _u, message: found.messages.append(message)
        client.on_subscribe = lambda *_args: subscribed.set()
        client.on_connect = lambda c, *_args: c.subscribe(topic, qos=1)
        parsed = urlparse(mqtt_url)
        client.connect(parsed.hostname, parsed.port or 1883, keepalive=30)
        client.loop_start()
        clients.append(client)
        assert subscribed.wait(10), f"no SUBACK from {mqtt_url}"
        return found

    yield subscribe
    for client in clients:
        client.disconnect()
        client.loop_stop()


# --- settings -----------------------------------------------------------------------------------------------


@pytest.fixture
def notify_settings() -> Iterator[Callable[..., None]]:
    """notify_settings(mailbox=…, **changes): settings.NOTIFY with `changes` (short retries by default) and,
    given a Mailbox, Django's SMTP back end pointed at it, until the test ends."""
    import dataclasses

    from django.conf import settings
    from django.test import override_settings

    applied = []

    def apply(*, mailbox: Mailbox | None = None, **changes) -> None:
        changes = {"backoff_s": 1.5, "timeout_s": 2.0, **changes}
        mail = {} if mailbox is None else {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": mailbox.host, "EMAIL_PORT": mailbox.port,
            "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
        }
        override = override_settings(NOTIFY=dataclasses.replace(settings.NOTIFY, **changes), **mail)
        override.enable()
        applied.append(override)

    yield apply
    for override in reversed(applied):
        override.disable()
