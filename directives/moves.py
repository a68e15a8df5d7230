"""Moving a directive along DIRECTIVE_MOVES on behalf of a viewer: who may make which move (the unit's
own staff acknowledge, report and close; leaders cancel; administrators anything), the evidence a move
needs, and the move itself, logged with who and the text, its photos hung on the logged step."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django_fsm import can_proceed
from django_fsm_log.models import StateLog

from directives import evidence
from directives.errors import DirectiveRefused, NotYourMove, WrongStatus
from directives.issuing import acting_as, may_issue
from directives.models import Directive
from directives.vocabularies import DIRECTIVE_MOVES, DIRECTIVE_STATUS, LEADER, MOVES_BY_NAME, DirectiveMove
from spatial.access import Viewer
from spatial.roles import UNIT_STAFF


def may_make(viewer: Viewer, directive: Directive, move: DirectiveMove) -> bool:
    """Whether `viewer` makes `move` on `directive`, whatever its status: a leader's move by leaders,
    a unit's move by that unit's own staff (administrators both)."""
    if viewer.is_admin:
        return True
    if move.by == LEADER:
        return may_issue(viewer)
    return UNIT_STAFF.code in viewer.roles and directive.unit_id in viewer.unit_ids


def moves_for(viewer: Viewer, directive: Directive) -> list[DirectiveMove]:
    """The moves `viewer` may make on `directive` now, in the table's order."""
    return [move for move in DIRECTIVE_MOVES
            if directive.status in move.sources and may_make(viewer, directive, move)]


def _refuse_status(directive: Directive, move: DirectiveMove) -> WrongStatus:
    status = DIRECTIVE_STATUS[directive.status]
    return WrongStatus(f"status: chỉ đạo {directive.code} đang ở trạng thái «{status.vi}», không thể "
                       f"«{move.vi.lower()}» / directive {directive.code} is {status.en.lower()}: it cannot "
                       f"be moved by {move.name}")


def make(viewer: Viewer, directive: Directive, name: str, note: str = "",
         photos: Sequence[evidence.Evidence] = ()) -> Directive:
    """Make move `name` on `directive` as `viewer` with its text and photos; the directive after it.
    403 when the viewer may not, 409 when the status does not allow it, 400 naming a missing field."""
    move = MOVES_BY_NAME[name]
    if not may_make(viewer, directive, move):
        who, who_en = ("lãnh đạo", "leaders") if move.by == LEADER else \
            ("cán bộ của đơn vị được giao", "the staff of the unit in charge")
        raise NotYourMove(f"{name}: chỉ {who} được «{move.vi.lower()}» / only {who_en} may {name}")
    if photos and not move.photos:
        raise DirectiveRefused(f"photos: bước «{move.vi}» không kèm ảnh / {name} takes no photos")
    if move.evidence and not photos:
        raise DirectiveRefused("photos: cần ít nhất một ảnh minh chứng / "
                               "at least one evidence photo is needed")
    evidence.check_count(photos)
    user = get_user_model().objects.filter(username=viewer.username).first()
    with transaction.atomic():
        directive = Directive.objects.select_for_update().get(pk=directive.pk)
        method = getattr(directive, name)
        if not can_proceed(method):
            raise _refuse_status(directive, move)
        acting_as(viewer.username)
        method(note, by=user)  # TransitionRefused (a DirectiveRefused's message) without its text
        directive.save()
        if photos:
            evidence.store(directive, StateLog.objects.for_(directive).latest("pk"), photos)
    return directive
