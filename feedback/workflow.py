"""The report workflow's rules that need the category's policy, the working calendar or routing.

The transitions themselves are django-fsm transitions of layers.CitizenReport generated from
layers.vocabularies.REPORT_MOVES (layers may not import this floor); what they need from here is added
through django-fsm's own extension point, its pre/post transition signals, and Django's pre_save:
a report gets its deadline when received, a citizen's reply or a reopening moves it, and a
resolved report is reopened only within its category's reopen days. `move_to` runs the transition
that leads to a status (the editing API's PATCH of `status`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils import timezone
from django_fsm import FSMFieldMixin, TransitionNotAllowed
from django_fsm.signals import post_transition, pre_transition

from feedback import deadlines
from feedback.announcements import announce
from feedback.duplicates import flag_likely_duplicate
from feedback.routing import route
from layers.models import CitizenReport

logger = logging.getLogger(__name__)

MOVES_THE_DEADLINE = ("citizen_replied", "reopen")


class NoTransition(TransitionNotAllowed):
    """No transition of the workflow leads there from here, or its rule refuses it now."""


def connect() -> None:
    """Attach the rules to CitizenReport (called once by the app config)."""
    pre_save.connect(set_deadline_when_received, sender=CitizenReport, dispatch_uid="feedback-deadline")
    pre_save.connect(flag_likely_duplicate, sender=CitizenReport, dispatch_uid="feedback-duplicate")
    pre_transition.connect(check_reopen_window, sender=CitizenReport, dispatch_uid="feedback-reopen")
    post_transition.connect(move_deadline, sender=CitizenReport, dispatch_uid="feedback-move-deadline")
    post_transition.connect(announce, sender=CitizenReport, dispatch_uid="feedback-announce")


def set_deadline_when_received(sender: type, instance: CitizenReport, **_signal: Any) -> None:
    """A new report without a deadline gets its category's one on the working calendar."""
    if instance._state.adding and instance.due_at is None and instance.received_at is not None:
        instance.due_at = deadlines.due_at(instance)


def reopen_until(report: CitizenReport) -> Any:
    """The last moment the citizen may reopen the resolved report (None: not resolved)."""
    if report.resolved_at is None:
        return None
    return report.resolved_at + timedelta(days=deadlines.policy_for(report.category).reopen_days)


def check_reopen_window(sender: type, instance: CitizenReport, name: str, **_signal: Any) -> None:
    """A resolved report is reopened only within its category's reopen days."""
    if name != "reopen":
        return
    until = reopen_until(instance)
    if until is None:
        raise NoTransition("reopen: phản ánh chưa được giải quyết / the report is not resolved",
                           object=instance)
    if timezone.now() > until:
        raise NoTransition(f"reopen: đã hết hạn mở lại lúc {until:%d/%m/%Y %H:%M} / "
                           f"the reopen window closed at {until.isoformat()}", object=instance)


def move_deadline(sender: type, instance: CitizenReport, name: str, **_signal: Any) -> None:
    """A citizen's reply pushes the deadline back by the working time waited; a reopening starts the
    clock again."""
    if name in MOVES_THE_DEADLINE:
        instance.due_at = deadlines.due_at(instance)


def move_to(instance: Model, field: FSMFieldMixin, before: str, target: str, *, username: str = "",
            note: str = "", unit_written: bool = False) -> str:
    """Run the transition of `instance` from status `before` to `target` (the same status: the move
    that takes the written unit, e.g. reassign), by the user called `username`, with `note` as its
    public text; the unit is the written one, else the routed one. Returns the transition's name."""
    moves = [t for t in field.get_all_transitions(type(instance)) if t.source in (before, "*")
             and t.target == target and (target != before or t.custom.get("unit"))]
    if target == before and not (moves and unit_written):
        if unit_written:
            raise NoTransition(f"unit: a report that is {before} changes unit only by assign or reassign")
        return ""
    if not moves:
        allowed = sorted({t.target for t in field.get_all_transitions(type(instance)) if t.source == before})
        raise NoTransition(f"{field.name}: a report that is {before} may become {allowed or 'nothing'}")
    move = moves[0]
    arguments: dict[str, Any] = {}
    if move.custom.get("unit"):
        unit = instance.unit if unit_written else instance.unit or route(instance.category, instance.ward_id)
        arguments["unit"] = unit
    if move.custom.get("text"):
        arguments[move.custom["text"]] = note
    setattr(instance, field.attname, before)  # the transition moves it, from where it stood
    by = get_user_model().objects.filter(username=username).first() if username else None
    getattr(instance, move.name)(by=by, **arguments)
    return move.name
