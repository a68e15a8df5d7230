"""MQTT: every committed event is published at QoS 1 on ioc/<its type with dots as slashes>, with the
webhook's JSON envelope, on the local broker; with IOC_MQTT_URL empty nothing is published."""

from __future__ import annotations

import json
import time
import uuid

import notify


def test_every_event_is_published_on_its_topic_at_qos_1(
    committed, run_jobs, notify_settings, subscriber, mqtt_url
):
    from notify.models import Delivery

    notify_settings(mqtt_url=mqtt_url)
    event_type = f"feedback.report.t{uuid.uuid4().hex[:8]}"
    topic = "ioc/" + event_type.replace(".", "/")
    heard = subscriber("ioc/feedback/report/+")
    event = committed(notify.publish, event_type, {"code": "PA-2026-000124", "status": "assigned"})

    run_jobs(until=lambda: Delivery.objects.filter(event=event, status="delivered").exists())
    deadline = time.monotonic() + 5
    while not [m for m in heard.messages if m.topic == topic] and time.monotonic() < deadline:
        time.sleep(0.05)

    [message] = [m for m in heard.messages if m.topic == topic]
    assert message.qos == 1
    assert json.loads(message.payload) == {
        "id": str(event.id),
        "type": event_type,
        "occurred_at": event.occurred_at.isoformat(),
        "data": {"code": "PA-2026-000124", "status": "assigned"},
    }
    delivery = Delivery.objects.get(event=event)
    assert (delivery.channel, delivery.target, delivery.attempts) == ("mqtt", topic, 1)


def test_an_empty_mqtt_url_publishes_nothing(committed, run_jobs, notify_settings, subscriber):
    from notify.models import Delivery

    notify_settings(mqtt_url="")
    event_type = f"feedback.report.t{uuid.uuid4().hex[:8]}"
    heard = subscriber("ioc/" + event_type.replace(".", "/"))
    event = committed(notify.publish, event_type, {"code": "PA-2026-000125"})
    run_jobs()
    time.sleep(0.5)

    assert heard.messages == []
    assert not Delivery.objects.filter(event=event).exists()


def test_a_broker_that_does_not_answer_is_recorded_as_failed(committed, run_jobs, notify_settings):
    import socket

    from notify.models import Delivery

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    notify_settings(mqtt_url=f"mqtt://127.0.0.1:{port}", attempts=1)
    event = committed(notify.publish, "alerts.flood.raised", {"station": "TQ-03"})
    run_jobs(until=lambda: Delivery.objects.filter(event=event, status="failed").exists())
    assert "refused" in Delivery.objects.get(event=event).last_error.lower()
