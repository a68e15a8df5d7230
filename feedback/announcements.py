"""Every move of a report, told outside through the notify outbox, in the transaction of the move.

- an event `feedback.report.<new status>` (webhooks; MQTT topic ioc/feedback/report/<status>) with
  the report's code, status, move, unit and public text: never the reporter's personal data;
- the citizen who left an e-mail: every move, with the unit and the public text (template
  feedback_status; the case page link);
- the unit's address when a report is given to it (assign, reassign; template feedback_assigned).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

import notify
from layers.models import CitizenReport, CitizenReporter
from layers.vocabularies import REPORT_MOVES, REPORT_STATUS
from notify import Email

TEXT_OF = {move.name: move.text for move in REPORT_MOVES if move.text}  # the argument holding the public text
GIVES_A_UNIT = {move.name for move in REPORT_MOVES if move.unit}
ANSWERS = ("resolved", "rejected")  # the moves whose text answers the report (told to merged reporters)


def _citizen_emails(report: CitizenReport, target: str) -> list[str]:
    """Who left an e-mail: the report's reporter; for its answer, also those of the reports merged into it."""
    reports = [report.pk, *(report.duplicates.values_list("pk", flat=True) if target in ANSWERS else [])]
    found = CitizenReporter.objects.filter(report__in=reports).exclude(email="")
    return sorted(set(found.values_list("email", flat=True)))


def announce(sender: type, instance: CitizenReport, name: str, target: str, method_kwargs: dict,
             exception: Exception | None = None, **_signal: Any) -> None:
    """post_transition: publish the move (a refused move publishes nothing)."""
    if exception is not None:
        return
    report, note = instance, method_kwargs.get(TEXT_OF.get(name, ""), "") or ""
    unit = method_kwargs.get("unit") or report.unit
    status = REPORT_STATUS[target]
    payload = {"code": report.code, "status": target, "move": name, "unit": unit.code if unit else None,
               "category": report.category, "note": note, "at": timezone.now().isoformat()}
    emails = []
    if citizens := _citizen_emails(report, target):
        emails.append(Email(to=citizens, template="feedback_status", context={
            "code": report.code, "category": report.get_category_display(), "status": status.vi,
            "status_en": status.en, "unit": unit.name if unit else "", "response": note,
            "case_url": f"/phan-anh/{report.code}"}))
    if name in GIVES_A_UNIT and unit is not None and unit.email:
        due = timezone.localtime(report.due_at).strftime("%H:%M %d/%m/%Y") if report.due_at else ""
        emails.append(Email(to=unit.email, template="feedback_assigned", context={
            "code": report.code, "category": report.get_category_display(), "unit": unit.name,
            "address": report.title, "deadline": due, "reason": note if name == "reassign" else "",
            "url": f"/?report={report.code}"}))
    notify.publish(f"feedback.report.{target}", payload, emails=emails)
