"""One directive as the wall shows it: its row, the history (issued, then each logged step with who, when,
the text and its evidence photos), the moves this viewer may make now, and the other directives of its
batch this viewer may see."""

from __future__ import annotations

from django.urls import reverse
from django_fsm_log.models import StateLog

from directives.models import Directive
from directives.moves import moves_for
from directives.vocabularies import DIRECTIVE_STATUS, MOVES_BY_NAME
from layers.registry import Layer
from services.directives.access import visible
from services.directives.listing import local, person, row, with_overdue
from spatial.access import Viewer

ISSUE = {"vi": "Giao chỉ đạo", "en": "Issue"}


def photo_address(directive: Directive, number: int) -> str:
    """Where the `number`th evidence photo (from 1) of a directive is served."""
    return reverse("directive-photo", args=[directive.pk, number])


def _step(at: object, status: str, move: str, labels: dict, by: object, text: str, photos: list[str]) -> dict:
    term = DIRECTIVE_STATUS[status]
    return {"at": local(at), "status": status, "status_vi": term.vi, "status_en": term.en, "move": move,
            "move_vi": labels["vi"], "move_en": labels["en"], "by": person(by), "text": text,
            "photos": photos}


def history(directive: Directive) -> list[dict]:
    """Issued (by whom, with the text), then every logged move in order, with its photos."""
    photos: dict[int | None, list[str]] = {}
    for number, step in enumerate(directive.photos.order_by("pk").values_list("step_id", flat=True), start=1):
        photos.setdefault(step, []).append(photo_address(directive, number))
    steps = [_step(directive.issued_at, "issued", "issue", ISSUE, directive.issued_by, directive.text, [])]
    for log in StateLog.objects.for_(directive).select_related("by").order_by("timestamp", "pk"):
        move = MOVES_BY_NAME.get(log.transition)
        labels = {"vi": move.vi, "en": move.en} if move else {"vi": log.transition, "en": log.transition}
        steps.append(_step(log.timestamp, log.state, log.transition, labels, log.by, log.description or "",
                           photos.get(log.pk, [])))
    return steps


def case_file(viewer: Viewer, layer: Layer, directive: Directive) -> dict:
    """The directive as this viewer may read it, and what it may do with it."""
    directive = with_overdue(Directive.objects.filter(pk=directive.pk), layer).get()
    batch = with_overdue(visible(viewer).filter(batch=directive.batch), layer).order_by("code")
    return {
        **row(directive),
        "history": history(directive),
        "photos": [photo_address(directive, n) for n in range(1, directive.photos.count() + 1)],
        "moves": [{"name": move.name, "target": move.target, "vi": move.vi, "en": move.en, "note": move.note,
                   "note_required": move.note_required, "photos": move.photos, "evidence": move.evidence}
                  for move in moves_for(viewer, directive)],
        "batch_directives": [{"id": other.pk, "code": other.code, "status": other.status,
                              "status_vi": DIRECTIVE_STATUS[other.status].vi,
                              "status_en": DIRECTIVE_STATUS[other.status].en, "overdue": other.overdue,
                              "unit": {"id": other.unit_id, "name": other.unit.name}} for other in batch],
    }
