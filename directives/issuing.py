"""A leader issues a directive: one row per unit, all under one batch reference, placed where asked
(else at the linked report or incident, else in each unit's area), told to each unit at once.

Who issues: leaders and administrators (`may_issue`). What is checked here is what needs the database
(active units, linked features, a place inside the city, a deadline after now); the shape of a request
is the API's (services.directives.forms). Each refusal names the field, in Vietnamese / English.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from directives.announcements import announce_issued
from directives.errors import DirectiveRefused, NotYourMove
from directives.models import Directive
from directives.placement import commune_of, default_point
from directives.vocabularies import DIRECTIVE_PRIORITY
from layers.models import CitizenReport, Incident, ResponsibleUnit
from spatial.access import Viewer
from spatial.roles import LEADER

TITLE_CHARS = 200


@dataclass(frozen=True)
class Order:
    """What a leader asks: to which units (ids, in order), what, by when, and optionally where and about
    what (an incident's or a citizen report's id; an alert's id, kept as a number)."""

    units: tuple[int, ...]
    title: str
    text: str
    due_at: datetime
    priority: str = "normal"
    point: Point | None = None
    incident: int | None = None
    report: int | None = None
    alert: int | None = None


def may_issue(viewer: Viewer) -> bool:
    """Whether this viewer issues (and cancels) directives: leaders and administrators."""
    return viewer.is_admin or LEADER.code in viewer.roles


def require_issuer(viewer: Viewer) -> None:
    """Refuse (403) a viewer who does not issue directives."""
    if not may_issue(viewer):
        raise NotYourMove("chỉ lãnh đạo giao chỉ đạo / only leaders issue directives")


def acting_as(username: str) -> None:
    """Name `username` as the actor of this transaction's changes in the feature history."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('ioc.actor', %s, true)", [f"user:{username}"])


def _units(ids: tuple[int, ...]) -> list[ResponsibleUnit]:
    if not ids:
        raise DirectiveRefused("units: chọn ít nhất một đơn vị thực hiện / choose at least one unit")
    found = ResponsibleUnit.objects.filter(active=True).in_bulk(ids)
    if missing := [pk for pk in ids if pk not in found]:
        raise DirectiveRefused(f"units: không có đơn vị đang hoạt động số {missing[0]} / "
                               f"no active unit {missing[0]}")
    return [found[pk] for pk in dict.fromkeys(ids)]


def _linked(model: type, pk: int | None, field: str, vi: str) -> object | None:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DirectiveRefused(f"{field}: không có {vi} số {pk} / no {field} {pk}")
    return found


def _check(order: Order, now: datetime) -> None:
    if not order.title.strip():
        raise DirectiveRefused("title: hãy ghi trích yếu chỉ đạo / give the directive a subject")
    if len(order.title.strip()) > TITLE_CHARS:
        raise DirectiveRefused(f"title: trích yếu tối đa {TITLE_CHARS} ký tự / "
                               f"at most {TITLE_CHARS} characters")
    if not order.text.strip():
        raise DirectiveRefused("text: hãy ghi nội dung chỉ đạo / write what the unit must do")
    if order.due_at <= now:
        raise DirectiveRefused("due_at: hạn hoàn thành phải sau thời điểm giao / "
                               "the deadline must be after now")
    if order.priority not in DIRECTIVE_PRIORITY:
        raise DirectiveRefused(f"priority: {order.priority!r} không có trong danh mục / is not one of "
                               f"{', '.join(DIRECTIVE_PRIORITY.codes)}")
    if order.alert is not None and order.alert < 1:
        raise DirectiveRefused(f"alert: {order.alert} không phải mã cảnh báo / is not an alert id")
    if order.point is not None and commune_of(order.point, now) is None:
        raise DirectiveRefused("location: vị trí nằm ngoài địa bàn / the place is outside the city")


def _batch(now: datetime) -> str:
    return f"CD-{timezone.localdate(now):%Y%m%d}-{secrets.token_hex(3).upper()}"


def issue(order: Order, viewer: Viewer, now: datetime | None = None) -> list[Directive]:
    """Issue `order` as `viewer` (a leader or an administrator): the directives made, one per unit in the
    order asked, each told to its unit (event directives.directive.issued and an e-mail)."""
    require_issuer(viewer)
    now = now or timezone.now()
    _check(order, now)
    units = _units(order.units)
    report = _linked(CitizenReport, order.report, "report", "phản ánh")
    incident = _linked(Incident, order.incident, "incident", "sự cố")
    leader = get_user_model().objects.filter(username=viewer.username).first()
    batch = _batch(now)
    made = []
    with transaction.atomic():
        acting_as(viewer.username)
        for number, unit in enumerate(units, start=1):
            point = order.point.clone() if order.point else default_point(unit, report, incident)
            directive = Directive.objects.create(
                code=f"{batch}-{number:02d}", batch=batch, unit=unit, issued_by=leader,
                title=order.title.strip(), text=order.text.strip(), priority=order.priority, issued_at=now,
                due_at=order.due_at, incident=incident, report=report, alert_id=order.alert, geom=point)
            announce_issued(directive)
            made.append(directive)
    return made
