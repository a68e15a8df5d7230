"""MQTT: each event on topic ioc/<type with dots as slashes> at QoS 1, through paho-mqtt, on the broker
IOC_MQTT_URL (mqtt://[user:password@]host:port, or mqtts:// for TLS). One short connection per message:
status changes are few, and a connection kept open would need its own supervision."""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import paho.mqtt.client as paho
from django.conf import settings

from notify.errors import DeliveryCancelled, DeliveryFailed

if TYPE_CHECKING:
    from notify.models import Delivery

ROOT = "ioc"
QOS = 1


def topic(event_type: str) -> str:
    """ioc/feedback/report/assigned for feedback.report.assigned."""
    return "/".join([ROOT, *event_type.split(".")])


def _client(url: str, timeout_s: float) -> tuple[paho.Client, str, int]:
    parsed = urlparse(url)
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=f"ioc-notify-{uuid.uuid4().hex[:12]}")
    client.connect_timeout = timeout_s
    if parsed.username:
        password = unquote(parsed.password) if parsed.password else None
        client.username_pw_set(unquote(parsed.username), password)
    if parsed.scheme == "mqtts":
        client.tls_set()
    return client, parsed.hostname or "127.0.0.1", parsed.port or (8883 if parsed.scheme == "mqtts" else 1883)


def publish(url: str, topic_name: str, payload: bytes, timeout_s: float) -> None:
    """Publish one message at QoS 1 and wait for the broker's PUBACK (DeliveryFailed otherwise)."""
    client, host, port = _client(url, timeout_s)
    connected, refused = threading.Event(), []

    def on_connect(_client, _userdata, _flags, reason, _properties):
        if reason.is_failure:
            refused.append(str(reason))
        connected.set()

    client.on_connect = on_connect
    try:
        client.connect(host, port, keepalive=max(5, int(timeout_s * 2)))
    except (OSError, ValueError) as exc:
        raise DeliveryFailed(f"MQTT broker {host}:{port}: {exc}") from exc
    client.loop_start()
    try:
        if not connected.wait(timeout_s) or refused:
            why = refused[0] if refused else f"no CONNACK within {timeout_s} s"
            raise DeliveryFailed(f"MQTT broker {host}:{port}: {why}")
        info = client.publish(topic_name, payload, qos=QOS)
        try:
            info.wait_for_publish(timeout_s)
        except (RuntimeError, ValueError) as exc:
            raise DeliveryFailed(f"MQTT publish on {topic_name}: {exc}") from exc
        if not info.is_published():
            raise DeliveryFailed(f"MQTT broker {host}:{port}: no PUBACK within {timeout_s} s")
    finally:
        client.disconnect()
        client.loop_stop()


def send(delivery: Delivery) -> None:
    """Publish the delivery's event on its topic."""
    url = settings.NOTIFY.mqtt_url
    if not url:
        raise DeliveryCancelled("IOC_MQTT_URL is empty now")
    publish(url, delivery.target, delivery.event.body(), settings.NOTIFY.timeout_s)
