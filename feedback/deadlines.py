"""A report's deadline on the working calendar: its category's policy, moved on by its pauses."""

from __future__ import annotations

from datetime import datetime

from django_fsm_log.models import StateLog

from feedback.models import CategoryPolicy
from layers.models import CitizenReport
from workdays.store import working_calendar


def policy_for(category: str) -> CategoryPolicy:
    """The category's policy as the administrator set it, or the defaults (15 working days, 7 days
    to reopen) when none is entered."""
    return CategoryPolicy.objects.filter(category=category).first() or CategoryPolicy(category=category)


def clock_start(report: CitizenReport) -> datetime:
    """When the report's clock started: its receipt, or its latest reopening."""
    if report.pk is not None:
        reopened = (StateLog.objects.for_(report).filter(transition="reopen")
                    .order_by("-timestamp").values_list("timestamp", flat=True).first())
        if reopened is not None:
            return reopened
    return report.received_at


def due_at(report: CitizenReport) -> datetime:
    """The deadline: the category's working hours or days after the clock started, moved on by the
    working time the report spent waiting for the citizen since then."""
    policy = policy_for(report.category)
    start = clock_start(report)
    pauses = [(begin, end) for begin, end in (report.pause_intervals() if report.pk else []) if end > start]
    return working_calendar().add_working(start, policy.deadline, policy.deadline_unit, pauses)
