"""E-mails of an event: what a caller asks for (Email), rendered from notify/templates/notify/<template>.*
in Vietnamese then English, and sent by the queue through Django's mail (the SMTP relay, IOC_EMAIL_*)."""

from __future__ import annotations

import base64
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
class Attachment:
    """A file sent with an e-mail: its name, its bytes and its MIME type (stored with the delivery)."""

    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Email:
    """An e-mail to send with an event: to whom (one message per address, so no recipient sees another),
    which template (notify/<template>.subject.txt, .txt and optionally .html) and its context.

    >>> Email(to="dan@example.vn", template="feedback_status", context={"code": "PA-2026-000123"})
    """

    to: str | Sequence[str]
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()

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
    message = {"subject": subject, "text": render_to_string(f"{name}.txt", context), "html": html}
    if email.attachments:  # base64 in the stored message: what is sent is what was stored
        message["attachments"] = [{"filename": a.filename, "mimetype": a.mimetype,
                                   "content": base64.b64encode(a.content).decode("ascii")}
                                  for a in email.attachments]
    return message


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
    for attached in message.get("attachments", ()):
        mail.attach(attached["filename"], base64.b64decode(attached["content"]), attached["mimetype"])
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
