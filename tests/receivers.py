"""Real receivers on free local ports, for tests of what leaves the platform: an HTTP server recording
POSTs (webhooks), an SMTP server (aiosmtpd) and an MQTT subscriber on the local Mosquitto broker (or one
started for the run). tests/conftest.py makes them fixtures of the whole suite."""

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
