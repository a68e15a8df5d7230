"""Escalation of overdue directives: one still open past its deadline (the layer's Deadline: no done time,
not closed, due before now) is escalated once to the leader who issued it and the unit's head.

"Once" holds however often and wherever the check runs: a directive is claimed by an UPDATE … WHERE
escalated_at IS NULL, and only the claimant publishes (as feedback.sla does for reports).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from directives.announcements import announce_overdue
from directives.models import Directive
from layers.registry import Layer, registry


def directives_layer() -> Layer:
    """The directives' layer declaration."""
    return registry.for_model(Directive)[0]


def overdue_now(now: datetime):
    """The open directives past their deadline at `now` that were not escalated yet."""
    layer = directives_layer()
    deadline, workflow = layer.deadline, layer.workflow
    return (Directive.objects.exclude(**{f"{workflow.field}__in": workflow.closed})
            .filter(**{f"{deadline.done}__isnull": True, f"{deadline.due}__lt": now},
                    escalated_at__isnull=True, issued_at__lte=now))


def check_overdue(now: datetime | None = None) -> int:
    """Escalate every directive overdue at `now` (default: now) that nobody escalated; how many."""
    now = now or timezone.now()
    escalated = 0
    for directive in overdue_now(now).select_related("unit", "issued_by").order_by("due_at", "pk"):
        claim = Directive.objects.filter(pk=directive.pk, escalated_at__isnull=True)
        with transaction.atomic():
            if claim.update(escalated_at=now) == 1:
                directive.escalated_at = now
                announce_overdue(directive)
                escalated += 1
    return escalated
