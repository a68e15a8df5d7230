"""The demo's reports taken into the workflow: each gets the history its generated status implies.

The generator gives a report its status, its receipt and, when resolved, its resolution; `ioc
load_demo` then runs `write_histories`, which writes what the workflow would have written on the way:
django-fsm-log rows (assign → start → … → resolve or reject, with now and then a reassignment, a wait
for the citizen or a reopening), all by the demo's officer and with a public text from
democity.responses on every move that carries one; the pause of each wait; each report's deadline as
the workflow gives it (feedback.deadlines, on the working calendar); and the escalation of the open
reports already past it. Times lie between the receipt and the resolution (or `until`, the demo's
end); the same seed gives the same histories.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import zip_longest

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django_fsm_log.models import StateLog

from democity.responses import text_for
from democity.rng import stream
from feedback import deadlines
from layers.models import CitizenReport, ReportPause
from layers.vocabularies import REPORT_CATEGORY, REPORT_MOVES

logger = logging.getLogger(__name__)

DEMO_OFFICER = "demo.canbo"  # makes every move of the demo's reports (and of its steady flow)
SEED = 2025
# the moves that lead straight to each status; detours are added by `path_of`
STRAIGHT = {
    "received": (),
    "assigned": ("assign",),
    "in_progress": ("assign", "start"),
    "waiting": ("assign", "start", "ask_citizen"),
    "resolved": ("assign", "start", "resolve"),
    "rejected": ("assign", "reject"),
}
REASSIGNED = 0.05  # shares of the reports given to a unit that took each detour
WAITED = 0.08
STARTED_BEFORE_REJECTION = 0.5
REOPENED = 0.03  # of the resolved ones: resolved, reopened by the citizen, resolved again
REJECTED_WITHIN = timedelta(days=10)  # a rejection comes within this long of the receipt
OPEN_STATUSES = ("received", "assigned", "in_progress", "waiting")
MOVES = {move.name: move for move in REPORT_MOVES}


def demo_officer():
    """The demo's handling officer (created once; no password: nobody signs in as it)."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_OFFICER, defaults={"first_name": "Cán bộ xử lý", "last_name": "(demo)"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def path_of(rng: np.random.Generator, status: str) -> list[str]:
    """The moves that led a report to `status`, with the detours `rng` draws."""
    moves = list(STRAIGHT[status])
    if not moves:
        return moves
    if rng.random() < REASSIGNED:
        moves.insert(1, "reassign")
    if status == "rejected" and rng.random() < STARTED_BEFORE_REJECTION:
        moves.insert(-1, "start")
    if status in ("in_progress", "resolved") and rng.random() < WAITED:
        at = moves.index("start") + 1
        moves[at:at] = ["ask_citizen", "citizen_replied"]
    if status == "resolved" and rng.random() < REOPENED:
        moves += ["reopen", "assign", "start", "resolve"]
    return moves


def times_of(rng: np.random.Generator, count: int, start: datetime, end: datetime) -> list[datetime]:
    """`count` instants after `start` in order, the last at `end`; the first (the assignment) comes
    early."""
    weights = rng.exponential(1.0, count)
    weights[0] *= 0.3
    shares = np.cumsum(weights) / weights.sum()
    return [*(start + (end - start) * float(share) for share in shares[:-1]), end]


@dataclass
class History:
    """A report's moves with their instants and public texts."""

    moves: list[str]
    times: list[datetime]
    texts: list[str]

    def reopened_in_time(self, reopen_days: int) -> bool:
        """Whether every reopening came within `reopen_days` of the resolution before it."""
        return all(self.times[i] - self.times[i - 1] <= timedelta(days=reopen_days)
                   for i, move in enumerate(self.moves) if move == "reopen")

    def pauses(self) -> list[tuple[datetime, datetime | None]]:
        """The waits for the citizen: (asked, replied), replied None while still waiting."""
        asked = [t for move, t in zip(self.moves, self.times, strict=True) if move == "ask_citizen"]
        replied = [t for move, t in zip(self.moves, self.times, strict=True) if move == "citizen_replied"]
        return list(zip_longest(asked, replied))


def _end_of(rng: np.random.Generator, report: CitizenReport, until: datetime) -> datetime:
    """When the report's last move happened: its resolution, or a moment before `until`."""
    if report.status == "resolved":
        return report.resolved_at
    if report.status == "rejected":
        return report.received_at + min(until - report.received_at, REJECTED_WITHIN) * rng.uniform(0.1, 1.0)
    return report.received_at + (until - report.received_at) * rng.uniform(0.3, 0.95)


def history_of(rng: np.random.Generator, report: CitizenReport, until: datetime, reopen_days: int) -> History:
    """A history leading `report` to its status, between its receipt and its resolution or `until`
    (a reopening within `reopen_days` of the resolution)."""
    while True:
        moves = path_of(rng, report.status)
        if not moves:
            return History([], [], [])
        times = times_of(rng, len(moves), report.received_at, _end_of(rng, report, until))
        history = History(moves, times, [text_for(rng, move, report.category) for move in moves])
        if history.reopened_in_time(reopen_days):
            return history


def _logs(report: CitizenReport, history: History, kind: ContentType, officer) -> list[StateLog]:
    logs, state = [], "received"
    for move, moment, text in zip(history.moves, history.times, history.texts, strict=True):
        target = MOVES[move].target
        logs.append(StateLog(content_type=kind, object_id=report.pk, transition=move, source_state=state,
                             state=target, by=officer, description=text or None, timestamp=moment))
        state = target
    return logs


@transaction.atomic
def write_histories(until: datetime, seed: int = SEED) -> int:
    """Histories, pauses, deadlines and escalations of the reports that have no history yet, as of
    `until` (the demo's end); the number of reports given a history."""
    kind = ContentType.objects.get_for_model(CitizenReport)
    logged = StateLog.objects.filter(content_type=kind).values("object_id")
    reports = list(CitizenReport.objects.exclude(pk__in=logged).order_by("code"))
    rng, officer = stream(seed, "histories"), demo_officer()
    reopen_days = {code: deadlines.policy_for(code).reopen_days for code in REPORT_CATEGORY.codes}
    logs, pauses = [], []
    for report in reports:
        history = history_of(rng, report, until, reopen_days[report.category])
        logs += _logs(report, history, kind, officer)
        pauses += [ReportPause(report=report, started_at=a, ended_at=b) for a, b in history.pauses()]
        report.reopened = history.moves.count("reopen")
    StateLog.objects.bulk_create(logs, batch_size=2000)
    ReportPause.objects.bulk_create(pauses)
    for report in reports:
        report.due_at = deadlines.due_at(report)
    CitizenReport.objects.bulk_update(reports, ["due_at", "reopened"], batch_size=1000)
    # open reports already past their deadline were escalated then (feedback.sla would otherwise
    # announce the whole backlog at once); the warning is not replayed either
    CitizenReport.objects.filter(pk__in=[r.pk for r in reports], status__in=OPEN_STATUSES,
                                 due_at__lt=until).update(warned_at=F("due_at"), escalated_at=F("due_at"))
    logger.info("%d demo reports given a history (%d moves, %d waits)", len(reports), len(logs), len(pauses))
    return len(reports)
