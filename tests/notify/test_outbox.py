"""The outbox: notify.publish stores an event and its deliveries in the caller's transaction; nothing
leaves before that transaction commits, and a rolled-back event leaves nothing at all."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import connection, transaction

import notify
from notify import Email


class Rollback(Exception):
    pass


def unique_type(prefix: str) -> str:
    return f"{prefix}.t{uuid.uuid4().hex[:10]}"


def notify_jobs() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = 'notify'")
        return cursor.fetchone()[0]


def test_an_event_published_in_a_transaction_that_rolls_back_sends_nothing(
    committed, run_jobs, notify_settings, receiver, smtp_server, subscriber, mqtt_url
):
    from notify.models import Delivery, Event, WebhookEndpoint

    notify_settings(mailbox=smtp_server, mqtt_url=mqtt_url)
    committed(WebhookEndpoint.objects.create, name="gateway", url=receiver.url, secret="s3cret",
              event_types=["test.*"])
    event_type = unique_type("test.rollback")
    topic = "ioc/" + event_type.replace(".", "/")
    heard = subscriber(topic)
    jobs_before = notify_jobs()
    # counted from what is there: a live server of the browser tests may have committed events before
    events_before, deliveries_before = Event.objects.count(), Delivery.objects.count()
    email = Email(to="dan@example.vn", template="event")

    def rolled_back() -> None:
        with pytest.raises(Rollback), transaction.atomic():
            notify.publish(event_type, {"code": "PA-1"}, emails=[email])
            assert (Event.objects.count(), Delivery.objects.count()) == (
                events_before + 1, deliveries_before + 3)  # webhook, MQTT, e-mail
            assert notify_jobs() == jobs_before + 3
            raise Rollback

    committed(rolled_back)
    assert (Event.objects.count(), Delivery.objects.count(), notify_jobs()) == (
        events_before, deliveries_before, jobs_before)
    run_jobs()
    time.sleep(0.5)
    assert (receiver.requests, smtp_server.messages, heard.messages) == ([], [], [])

    # the same call, committed: each side gets it once
    event = committed(notify.publish, event_type, {"code": "PA-1"}, emails=[email])
    run_jobs(until=lambda: not Delivery.objects.filter(event=event).exclude(status="delivered").exists())
    deadline = time.monotonic() + 5
    while not heard.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [r.headers["X-Ioc-Delivery"] for r in receiver.requests] == [str(event.id)]
    assert [recipients for recipients, _ in smtp_server.messages] == [["dan@example.vn"]]
    assert [m.topic for m in heard.messages] == [topic]


@pytest.mark.django_db
def test_endpoints_receive_the_event_types_their_patterns_match(notify_settings, settings):
    from notify.models import Delivery, WebhookEndpoint

    settings.EMAIL_HOST = "mail.example.vn"
    notify_settings(mqtt_url="mqtt://127.0.0.1:1883")
    made = {
        name: WebhookEndpoint.objects.create(name=name, url=f"http://127.0.0.1:9/{name}",
                                             event_types=patterns, active=active)
        for name, patterns, active in [
            ("all", ["*"], True),
            ("feedback", ["feedback.*"], True),
            ("exact", ["feedback.report.assigned"], True),
            ("alerts", ["alerts.*"], True),
            ("feedback-off", ["feedback.*"], False),
            ("two", ["alerts.*", "feedback.report.*"], True),
        ]
    }
    assert all(len(endpoint.secret) >= 32 for endpoint in made.values()), "a blank secret is generated"

    event = notify.publish("feedback.report.assigned", {"code": "PA-2"},
                           emails=[Email(to=["a@example.vn", "b@example.vn"], template="event")])

    rows = Delivery.objects.filter(event=event)
    webhooks = sorted(d.endpoint.name for d in rows.filter(channel="webhook"))
    assert webhooks == ["all", "exact", "feedback", "two"]
    assert [d.target for d in rows.filter(channel="mqtt")] == ["ioc/feedback/report/assigned"]
    assert sorted(d.target for d in rows.filter(channel="email")) == ["a@example.vn", "b@example.vn"]
    assert {d.status for d in rows} == {"pending"} and {d.attempts for d in rows} == {0}


@pytest.mark.django_db
def test_without_a_broker_or_a_mail_relay_only_webhooks_are_queued(notify_settings, settings):
    from notify.models import Delivery

    settings.EMAIL_HOST = ""
    notify_settings(mqtt_url="")
    email = Email(to="a@example.vn", template="event")
    event = notify.publish("alerts.flood.raised", {"level": 2}, emails=[email])
    assert Delivery.objects.filter(event=event).count() == 0


@pytest.mark.parametrize("name", ["feedback", "Feedback.report", "feedback..report", "feedback.*",
                                  "feedback/report", "feedback.report.", "phản_ánh.mới", ""])
def test_an_event_type_is_a_dotted_lower_case_name(name):
    from notify.errors import InvalidEventType

    with pytest.raises(InvalidEventType, match="dotted"):
        notify.publish(name, {})


def test_an_email_names_a_valid_address():
    with pytest.raises(ValueError, match="not an e-mail address"):
        Email(to="nobody", template="event")
