"""Signed webhooks: a committed event is POSTed to a local receiver with a signature that verifies with
the endpoint's secret (and not with another), failures are retried on the job queue with growing
delays and recorded, and a delivered event is never sent again."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import notify
from notify.signatures import verify


def test_a_committed_event_reaches_the_receiver_signed(committed, run_jobs, notify_settings, receiver):
    from notify.models import Delivery, WebhookEndpoint

    notify_settings(mqtt_url="")
    endpoint = committed(WebhookEndpoint.objects.create, name="zalo-gateway", url=receiver.url,
                         secret="s3cret-of-the-gateway", event_types=["feedback.*"])
    event = committed(notify.publish, "feedback.report.assigned",
                      {"code": "PA-2026-000123", "unit": "UBND phường Hải Châu"})
    assert receiver.requests == [], "nothing leaves before the queue runs"

    run_jobs(until=lambda: Delivery.objects.filter(status="delivered").exists())

    [request] = receiver.requests
    headers, body = request.headers, request.body
    assert request.path == "/hooks/ioc"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Ioc-Event"] == "feedback.report.assigned"
    assert headers["X-Ioc-Delivery"] == str(event.id)
    assert abs(int(headers["X-Ioc-Timestamp"]) - time.time()) < 30
    assert request.json() == {
        "id": str(event.id),
        "type": "feedback.report.assigned",
        "occurred_at": event.occurred_at.isoformat(),
        "data": {"code": "PA-2026-000123", "unit": "UBND phường Hải Châu"},
    }
    # what a receiver does, by hand: HMAC-SHA256 of "timestamp.body" with the shared secret
    expected = hmac.new(endpoint.secret.encode(), headers["X-Ioc-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Ioc-Signature"] == f"sha256={expected}"
    assert verify(endpoint.secret, headers["X-Ioc-Timestamp"], body, headers["X-Ioc-Signature"])
    assert not verify("another-secret", headers["X-Ioc-Timestamp"], body, headers["X-Ioc-Signature"])

    delivery = Delivery.objects.get(event=event)
    assert (delivery.channel, delivery.endpoint_id, delivery.status, delivery.attempts) == (
        "webhook", endpoint.id, "delivered", 1)
    assert (delivery.last_status_code, delivery.last_error) == (200, "")
    assert delivery.delivered_at is not None


def test_a_receiver_answering_500_twice_gets_three_attempts_with_growing_delays(
    committed, run_jobs, notify_settings, receiver
):
    from notify.models import Delivery, WebhookEndpoint

    notify_settings(mqtt_url="", backoff_s=1.5)  # waits of 1.5 s, then 2.25 s (procrastinate's 1.5 ** n)
    receiver.statuses = [500, 500]
    committed(WebhookEndpoint.objects.create, name="flaky", url=receiver.url, secret="k", event_types=["*"])
    event = committed(notify.publish, "alerts.flood.raised", {"station": "TQ-03", "level_cm": 182})

    seen = []

    def delivered() -> bool:
        delivery = Delivery.objects.get(event=event)
        seen.append((delivery.status, delivery.attempts, delivery.last_status_code))
        return delivery.status == "delivered"

    run_jobs(until=delivered, timeout=30)
    run_jobs()  # nothing more is due: a delivered event is not sent again
    time.sleep(0.3)
    run_jobs()

    assert len(receiver.requests) == 3
    assert {r.headers["X-Ioc-Delivery"] for r in receiver.requests} == {str(event.id)}
    assert len({r.body for r in receiver.requests}) == 1, "every attempt carries the same body"
    first, second = (b.at - a.at for a, b in zip(receiver.requests, receiver.requests[1:], strict=False))
    print(f"delays between attempts: {first:.2f} s, {second:.2f} s")
    assert 1.5 <= first < second and second >= 2.25
    assert ("pending", 1, 500) in seen and ("pending", 2, 500) in seen
    delivery = Delivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert delivery.last_error == ""


def test_the_last_attempt_marks_the_delivery_failed(committed, run_jobs, notify_settings, receiver):
    from notify.models import Delivery, WebhookEndpoint

    notify_settings(mqtt_url="", attempts=2, backoff_s=1.1)
    receiver.statuses = [503, 502, 500]
    committed(WebhookEndpoint.objects.create, name="down", url=receiver.url, secret="k", event_types=["*"])
    event = committed(notify.publish, "alerts.flood.raised", {"station": "TQ-03"})

    run_jobs(until=lambda: Delivery.objects.filter(event=event, status="failed").exists(), timeout=20)

    assert len(receiver.requests) == 2
    delivery = Delivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.delivered_at) == (
        "failed", 2, 502, None)
    assert "502" in delivery.last_error


def test_verify_refuses_a_stale_timestamp_and_a_changed_body():
    from notify.signatures import sign

    body = json.dumps({"id": "x"}).encode()
    now = int(time.time())
    signature = sign("k", str(now), body)
    assert verify("k", str(now), body, signature)
    assert not verify("k", str(now), body + b" ", signature)
    assert not verify("k", str(now - 600), body, sign("k", str(now - 600), body)), "older than 5 minutes"
    assert not verify("k", "not-a-number", body, signature)
    assert not verify("k", str(now), body, signature.removeprefix("sha256="))
