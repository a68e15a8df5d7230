"""Directives told outside through the notify outbox, in the transaction of the change:

- every step is an event `directives.directive.<status>` (webhooks; MQTT ioc/directives/directive/<status>):
  `issued` when a leader issues it, then `acknowledged`, `in_progress`, `done`, `cancelled`;
- the unit's address hears of a directive given to it (template directive_issued);
- an overdue directive is escalated once (directives.escalation) as `directives.directive.overdue`, to the
  leader who issued it and the unit's head, or the unit's own address without one (directive_overdue).

Payloads carry codes, statuses, units and the step's text, never a person's contact details.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django_fsm.signals import post_transition

import notify
from directives.models import Directive
from directives.vocabularies import DIRECTIVE_PRIORITY, DIRECTIVE_STATUS
from notify import Email

ISSUED, OVERDUE = "issued", "overdue"


def event_type(what: str) -> str:
    """The notify event type of a directive's step or its escalation, e.g. directives.directive.done."""
    return f"directives.directive.{what}"


def _local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _payload(directive: Directive, move: str, note: str = "") -> dict[str, Any]:
    return {"code": directive.code, "batch": directive.batch, "title": directive.title,
            "status": directive.status, "move": move, "unit": directive.unit.code,
            "priority": directive.priority, "due_at": _local(directive.due_at), "note": note,
            "at": _local(timezone.now()), "url": f"/?directive={directive.code}"}


def _context(directive: Directive) -> dict[str, Any]:
    """What the e-mails say of a directive."""
    leader = directive.issued_by
    priority, status = DIRECTIVE_PRIORITY[directive.priority], DIRECTIVE_STATUS[directive.status]
    return {"code": directive.code, "title": directive.title, "text": directive.text,
            "unit": directive.unit.name, "priority": priority.vi, "priority_en": priority.en,
            "status": status.vi, "status_en": status.en,
            "leader": (leader.get_full_name() or leader.get_username()) if leader else "",
            "deadline": timezone.localtime(directive.due_at).strftime("%H:%M %d/%m/%Y"),
            "url": f"/?directive={directive.code}"}


def announce_issued(directive: Directive) -> None:
    """A new directive: the event, and an e-mail to its unit's address."""
    unit = directive.unit
    emails = [Email(to=unit.email, template="directive_issued", context=_context(directive))] \
        if unit.email else []
    notify.publish(event_type(ISSUED), _payload(directive, "issue", directive.text), emails=emails)


def escalation_recipients(directive: Directive) -> list[str]:
    """Who hears of an overdue directive: the leader who issued it and the unit's head (its address
    without one)."""
    unit, leader = directive.unit, directive.issued_by
    found = [leader.email if leader else "", unit.head_email or unit.email]
    return sorted({address for address in found if address})


def announce_overdue(directive: Directive) -> None:
    """An overdue directive, escalated: the event and the e-mails (once: directives.escalation claims it)."""
    to = escalation_recipients(directive)
    emails = [Email(to=to, template="directive_overdue", context=_context(directive))] if to else []
    notify.publish(event_type(OVERDUE), _payload(directive, OVERDUE), emails=emails)


def announce_move(sender: type, instance: Directive, name: str, target: str, method_kwargs: dict,
                  exception: Exception | None = None, **_signal: Any) -> None:
    """post_transition: publish the step (a refused one publishes nothing)."""
    if exception is not None:
        return
    note = (method_kwargs.get("description") or "").strip()
    notify.publish(event_type(target), _payload(instance, name, note))


def connect(model: type) -> None:
    """Publish every move of `model` (called once by the app config)."""
    post_transition.connect(announce_move, sender=model, dispatch_uid="directives-announce")
