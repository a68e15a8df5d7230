"""Completing a step of an incident's response: once (AlreadyDone, 409, the second time), by whom, when,
which checklist items were ticked, with a note; the log tells it. Whether it was late is not stored:
the steps layer's Deadline says it (done after due_at), the same rule as the map's and the KPI's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

import notify
from response.errors import AlreadyDone, ResponseRefused
from response.models import IncidentStep, LogEntry
from response.opening import act_as
from spatial.params import text_problem


def _checked(step: IncidentStep, checked: Sequence[int]) -> list[int]:
    items = len(step.checklist)
    wrong = [index for index in checked if isinstance(index, bool) or not isinstance(index, int)
             or not 0 <= index < items]
    if wrong:
        raise ResponseRefused(f"checked: {wrong[0]!r} không phải số thứ tự của một mục (0–{items - 1}) / "
                              f"is not the index of one of the {items} checklist items")
    return sorted(set(checked))


def _summary(step: IncidentStep, note: str) -> str:
    ticked = "; ".join(step.checklist[index]["vi"] for index in step.checked)
    parts = [f"Bước {step.number}: {step.title_vi}", f"đã kiểm: {ticked}" if ticked else "", note]
    return " — ".join(part for part in parts if part)


@transaction.atomic
def complete_step(step: IncidentStep, *, by: str, checked: Sequence[int] = (), note: str = "",
                  at: datetime | None = None) -> tuple[IncidentStep, LogEntry]:
    """Mark `step` done by user `by` at `at` (now) with the checklist indexes `checked` ticked and
    `note`; the step as stored and its log line. AlreadyDone if it is done already."""
    locked = IncidentStep.objects.select_for_update().get(pk=step.pk)
    if locked.status == "done":
        raise AlreadyDone(f"step: bước {locked.number} đã hoàn thành lúc "
                          f"{timezone.localtime(locked.done_at):%H:%M %d/%m/%Y} bởi {locked.done_by} / step "
                          f"{locked.number} was done already")
    if problem := text_problem(note):
        raise ResponseRefused(f"note: văn bản không hợp lệ / {problem}")
    act_as(by)
    locked.checked = _checked(locked, checked)
    locked.status, locked.done_at, locked.done_by = "done", at or timezone.now(), by
    locked.note = note.strip()
    locked.save(update_fields=["checked", "status", "done_at", "done_by", "note"])
    entry = LogEntry.objects.create(incident_id=locked.incident_id, at=locked.done_at, by=by,
                                    kind="step_done", note=_summary(locked, locked.note), step=locked)
    notify.publish("response.step.done", {
        "code": locked.code, "number": locked.number, "done_at": locked.done_at.isoformat(),
        "due_at": locked.due_at.isoformat(), "unit": locked.unit.code if locked.unit else None})
    return locked, entry
