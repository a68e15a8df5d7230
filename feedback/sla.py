"""Deadline warnings and escalation: each open report is announced to its unit once when it has used
75 % of its working time, and escalated to the unit's head and the operators once when its deadline
has passed (the overdue rule of its declaration: open past `due_at`).

The share used is counted on the working calendar from when its clock started to its deadline as
first set (the category's policy), minus the time it waited for the citizen, so weekends, holidays and
pauses count for nothing. "Once" holds however often and wherever the check runs: a report is claimed
by an UPDATE … WHERE warned_at IS NULL, and only the claimant publishes. A report found already past
its deadline is escalated and counts as warned (the warning is not sent late).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

import notify
from feedback.deadlines import clock_start, policy_for
from layers.catalog import registry
from layers.models import CitizenReport
from notify import Email
from spatial.roles import OPERATOR
from workdays.store import working_calendar

WARNING, BREACH = 0.75, 1.0


def fraction_used(report: CitizenReport, now: datetime) -> float:
    """The share of the report's working time used by `now` (pauses excluded)."""
    policy, start = policy_for(report.category), clock_start(report)
    calendar = working_calendar()
    first_deadline = calendar.add_working(start, policy.deadline, policy.deadline_unit)
    pauses = [(pause.started_at, pause.ended_at or now) for pause in report.pauses.all()]
    return calendar.fraction_used(start, first_deadline, now, pauses)


def _operators() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=OPERATOR.code).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _announce(report: CitizenReport, stage: str) -> None:
    unit = report.unit
    context = {"stage": stage, "code": report.code, "category": report.get_category_display(),
               "unit": unit.name if unit else "", "url": f"/?report={report.code}",
               "deadline": timezone.localtime(report.due_at).strftime("%H:%M %d/%m/%Y")}
    to = [unit.email] if unit and unit.email else []
    if stage == "breach":
        to = [*to, *([unit.head_email] if unit and unit.head_email else []), *_operators()]
    payload = {"code": report.code, "unit": unit.code if unit else None, "due_at": report.due_at.isoformat()}
    emails = [Email(to=sorted(set(to)), template="feedback_deadline", context=context)] if to else []
    notify.publish(f"feedback.report.deadline_{stage}", payload, emails=emails)


def _claim(report: CitizenReport, field: str, now: datetime, **also: datetime) -> bool:
    """Whether this check is the one that marks `field` (no other did before)."""
    return CitizenReport.objects.filter(pk=report.pk, **{f"{field}__isnull": True}) \
        .update(**{field: now}, **also) == 1


def check_deadlines(now: datetime | None = None) -> tuple[int, int]:
    """Warn and escalate the open reports that crossed 75 % or 100 % by `now`; (warned, escalated)."""
    now = now or timezone.now()
    workflow = registry.for_model(CitizenReport)[0].workflow
    candidates = (CitizenReport.objects.exclude(**{f"{workflow.field}__in": workflow.closed})
                  .filter(escalated_at__isnull=True, received_at__lte=now)
                  .select_related("unit").prefetch_related("pauses"))
    warned = escalated = 0
    for report in candidates:
        used = fraction_used(report, now)
        if used < WARNING:
            continue
        with transaction.atomic():
            if used >= BREACH:
                if _claim(report, "escalated_at", now, **({} if report.warned_at else {"warned_at": now})):
                    _announce(report, "breach")
                    escalated += 1
            elif _claim(report, "warned_at", now):
                _announce(report, "warning")
                warned += 1
    return warned, escalated
