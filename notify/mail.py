"""E-mails of an event: what a caller asks for (Email), rendered from notify/templates/notify/<template>.*
in Vietnamese then English, and sent by the queue through Django's mail (the SMTP relay, IOC_EMAIL_*)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from notify.errors import DeliveryFailed

if TYPE_CHECKING:
    from notify.models import Delivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    """An e-mail to send with an event: to whom (one message per address, so no recipient sees another),
    which template (notify/<template>.subject.txt, .txt and optionally .html) and its context.

    >>> Email(to="dan@example.vn", template="feedback_status", context={"code": "PA-2026-000123"})
    """

    to: str | Sequence[str]
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for address in self.recipients:
            try:
                validate_email(address)
            except ValidationError as exc:
                raise ValueError(f"{address!r} is not an e-mail address") from exc

    @property
    def recipients(self) -> tuple[str, ...]:
        return (self.to,) if isinstance(self.to, str) else tuple(self.to)


def render(email: Email, envelope: Mapping[str, Any]) -> dict[str, str]:
    """The message's subject, text and HTML (empty when the template has no .html), rendered now: what is
    stored with the delivery is exactly what is sent. `envelope` is the event as webhooks carry it."""
    context = {**email.context, "event": envelope}
    name = f"notify/{email.template}"
    subject = " ".join(render_to_string(f"{name}.subject.txt", context).split())
    try:
        html = render_to_string(f"{name}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return {"subject": subject, "text": render_to_string(f"{name}.txt", context), "html": html}


def send(delivery: Delivery) -> int:
    """Send one stored message to its one recipient; returns the relay's reply code (250)."""
    message = delivery.message
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        to=[delivery.target],
        headers={"X-Ioc-Event": delivery.event.type, "X-Ioc-Delivery": str(delivery.event_id)},
    )
    if message.get("html"):
        mail.attach_alternative(message["html"], "text/html")
    try:
        mail.send()
    except smtplib.SMTPResponseException as exc:
        raise DeliveryFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", exc.smtp_code) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        (code, reply), *_ = exc.recipients.values()
        raise DeliveryFailed(f"SMTP {code}: recipient refused: {reply!r}", code) from exc
    except (smtplib.SMTPException, OSError) as exc:  # refused, unreachable, timed out, TLS
        raise DeliveryFailed(f"SMTP relay: {exc}") from exc
    return 250
