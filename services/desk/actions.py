"""What the desk does to many reports or to none yet: bulk assignment (each through the editing API's
own path, so each runs its transition, permission and ward checks), merging a likely duplicate into
the report it repeats, and a hotline call entered by an operator on the citizen's behalf."""

from __future__ import annotations

from feedback.duplicates import merge
from feedback.intake import CONTACT_FIELDS, file_report
from layers.models import CitizenReport, ResponsibleUnit
from layers.registry import Layer
from services.desk.access import visible_report, visible_reports
from services.editing.service import Editor, etag_of
from spatial.access import Viewer
from spatial.errors import BadRequest, Conflict, IocError


def _ids(body: dict) -> list[int]:
    ids = body.get("ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) for i in ids):
        raise BadRequest("ids: chọn ít nhất một phản ánh / give a list of report ids")
    return ids


def assign_many(viewer: Viewer, layer: Layer, body: dict) -> dict:
    """Give each report to `unit` (assign, or reassign with `note` as the reason); a report that
    cannot move is named in `refused` with the reason, the others are assigned."""
    unit_id = body.get("unit")
    if not isinstance(unit_id, int):
        raise BadRequest("unit: chọn đơn vị xử lý / choose the unit that will handle the reports")
    unit = ResponsibleUnit.objects.filter(pk=unit_id, active=True).first()
    if unit is None:
        raise BadRequest(f"unit: không có đơn vị đang hoạt động số {unit_id} / no active unit {unit_id}")
    editor, note = Editor(layer, viewer), str(body.get("note") or "")
    reports = visible_reports(viewer).filter(pk__in=_ids(body)).order_by("pk")
    assigned, refused = [], []
    for report in reports:
        document = {"properties": {"status": "assigned", "unit": unit.pk}, "note": note}
        try:
            editor.patch(str(report.pk), document, None, etag_of(report.version))
        except IocError as error:
            refused.append({"id": report.pk, "code": report.code, "message": str(error)})
        else:
            assigned.append(report.code)
    return {"unit": {"id": unit.pk, "name": unit.name}, "assigned": assigned, "refused": refused}


def merge_into(viewer: Viewer, body: dict) -> dict:
    """Close report `id` as a duplicate of report `into` (409 when that cannot be)."""
    duplicate, kept = visible_report(viewer, body.get("id")), visible_report(viewer, body.get("into"))
    try:
        merge(duplicate, into=kept, by=_user(viewer))
    except ValueError as refused:
        raise Conflict(f"into: {refused}") from None
    return {"code": duplicate.code, "status": duplicate.status, "duplicate_of": kept.code}


def _user(viewer: Viewer) -> object:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=viewer.username).first()


def _number(body: dict, name: str) -> float:
    try:
        return float(body.get(name))
    except (TypeError, ValueError):
        raise BadRequest(f"{name}: {body.get(name)!r} không phải số / is not a number") from None


def take_call(body: dict) -> CitizenReport:
    """A report phoned in to the hotline, filed as the citizen would (channel hotline, no limit)."""
    return file_report(
        category=str(body.get("category") or ""), title=str(body.get("title") or ""),
        description=str(body.get("description") or ""), lon=_number(body, "lon"), lat=_number(body, "lat"),
        channel="hotline", contact={key: str(body.get(key) or "") for key in CONTACT_FIELDS},
        address="", limited=False)
