"""One report as the desk shows it: the queue's row, the description and photos, the timeline (who
did what, with the public texts), the reporter's contact for those who may read it, the unit routing
suggests, a likely duplicate, and the moves this viewer may make now."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django_fsm_log.models import StateLog

from feedback.routing import route
from layers.models import CitizenReport, CitizenReporter
from layers.registry import Layer
from layers.vocabularies import REPORT_MOVES, REPORT_STATUS, Move
from services.citizen.photos import photo_addresses
from services.desk.queue import late, row
from spatial.access import Viewer

CONTACT = ("full_name", "phone", "email")


def moves_for(viewer: Viewer, layer: Layer, report: CitizenReport) -> list[Move]:
    """The workflow's moves from the report's status that this viewer may make (none for readers;
    the citizen's own moves never)."""
    if not viewer.can_write(layer, "update"):
        return []
    available = {t.name for t in report.get_available_status_transitions()}
    return [move for move in REPORT_MOVES if move.name in available and not move.by_citizen
            and viewer.can_move(layer, report.status, hands_over=move.unit)]


def _step(at: object, status: str, move: str = "", by: str = "", text: str = "") -> dict:
    term = REPORT_STATUS[status]
    return {"at": timezone.localtime(at).isoformat(timespec="seconds"), "status": status,
            "status_vi": term.vi, "status_en": term.en, "move": move, "by": by, "text": text}


def _timeline(report: CitizenReport) -> list[dict]:
    steps = [_step(report.received_at, "received")]
    for log in StateLog.objects.for_(report).select_related("by").order_by("timestamp", "pk"):
        steps.append(_step(log.timestamp, log.state, log.transition,
                           log.by.get_username() if log.by else "", log.description or ""))
    return steps


def _reporter(viewer: Viewer, layer: Layer, report: CitizenReport) -> dict | None:
    if not viewer.sees_restricted(layer):
        return None
    reporter = CitizenReporter.objects.filter(report=report).first()
    return {name: getattr(reporter, name) for name in CONTACT} if reporter else None


def case_file(viewer: Viewer, layer: Layer, report: CitizenReport) -> dict:
    """The report's case file as this viewer may read it."""
    overdue = ExpressionWrapper(late(layer), output_field=BooleanField())
    report = (type(report).objects.select_related("unit", "ward", "likely_duplicate_of", "duplicate_of")
              .annotate(overdue=overdue).get(pk=report.pk))
    suggested = route(report.category, report.ward_id)
    return {
        **row(report), "description": report.description, "rating": report.rating,
        "reopened": report.reopened,
        "duplicate_of": report.duplicate_of.code if report.duplicate_of else None,
        "likely_duplicate_id": report.likely_duplicate_of_id,
        "photos": photo_addresses(report),
        "suggested_unit": {"id": suggested.pk, "name": suggested.name} if suggested else None,
        "reporter": _reporter(viewer, layer, report),
        "timeline": _timeline(report),
        "moves": [{"name": move.name, "target": move.target, "text": move.text, "unit": move.unit,
                   "vi": move.vi, "en": move.en} for move in moves_for(viewer, layer, report)],
    }
