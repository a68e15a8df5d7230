"""publish(): an event and its deliveries stored, and their jobs queued, in the caller's transaction."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notify import mqtt
from notify.errors import InvalidEventType
from notify.mail import Email, render
from notify.models import EVENT_TYPE, Delivery, Event, WebhookEndpoint
from notify.tasks import deliver

logger = logging.getLogger(__name__)

_EVENT_TYPE = re.compile(EVENT_TYPE)


def check_event_type(event_type: str) -> str:
    """The event type itself, if it is a dotted lower-case name of two parts or more."""
    if not _EVENT_TYPE.match(event_type):
        raise InvalidEventType(
            f"event type {event_type!r} must be a dotted lower-case name such as feedback.report.assigned"
        )
    return event_type


def publish(event_type: str, payload: Mapping[str, Any], *, emails: Iterable[Email] = ()) -> Event:
    """notify.publish: see its docstring. The jobs are rows of the same transaction (procrastinate defers
    through Django's connection), so a worker sees them only after the commit, and never after a rollback;
    unlike transaction.on_commit, a crash between the commit and the queueing cannot lose an event."""
    check_event_type(event_type)
    with transaction.atomic():
        event = Event.objects.create(type=event_type, payload=dict(payload), occurred_at=timezone.now())
        deliveries = Delivery.objects.bulk_create(_deliveries(event, list(emails)))
        if deliveries:
            deliver.batch_defer(*({"delivery_id": d.id} for d in deliveries))
    logger.info("event %s %s: %d deliveries queued", event.type, event.id, len(deliveries))
    return event


def _deliveries(event: Event, emails: list[Email]) -> list[Delivery]:
    found = [
        Delivery(event=event, channel=Delivery.Channel.WEBHOOK, endpoint=endpoint, target=endpoint.url)
        for endpoint in WebhookEndpoint.objects.filter(active=True).order_by("id")
        if endpoint.wants(event.type)
    ]
    if settings.NOTIFY.mqtt_url:
        found.append(Delivery(event=event, channel=Delivery.Channel.MQTT, target=mqtt.topic(event.type)))
    if emails and settings.EMAIL_HOST:
        envelope = event.envelope()
        for email in emails:
            message = render(email, envelope)
            found += [Delivery(event=event, channel=Delivery.Channel.EMAIL, target=address, message=message)
                      for address in email.recipients]
    elif emails:
        logger.info("event %s: no e-mail sent, IOC_EMAIL_HOST is empty", event.id)
    return found
