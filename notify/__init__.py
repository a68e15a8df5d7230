"""Notifications that leave the platform: e-mail, signed webhooks and MQTT topics, from one outbox.

    import notify
    from notify import Email

    with transaction.atomic():
        report.save()
        notify.publish("feedback.report.assigned", {"code": report.code, "unit": unit.code},
                       emails=[Email(to=unit.email, template="feedback_assigned", context={...})])

The event and its deliveries are rows of the caller's transaction, and so are the queue's jobs that send
them: nothing leaves before the commit, a rollback leaves nothing (docs/notifications.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from notify.mail import Attachment, Email

if TYPE_CHECKING:
    from notify.models import Event

__all__ = ["Attachment", "Email", "publish"]


def publish(event_type: str, payload: Mapping[str, Any], *, emails: Iterable[Email] = ()) -> Event:
    """Store an event (a dotted type such as "feedback.report.assigned" and a JSON payload) with one
    delivery per matching webhook endpoint, the MQTT topic and each e-mail recipient, queued to be sent
    once the caller's transaction commits. Returns the stored Event (its UUID identifies it everywhere)."""
    from notify.outbox import publish as store

    return store(event_type, payload, emails=emails)
