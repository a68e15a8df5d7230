"""Opening an incident's response: the incident (made from a category and a point, or one that exists),
its SOP instantiated as steps due at their target minutes after the opening, and the log's first line.

    open_incident(by="vanhanh", category="fire", lon=104.90, lat=21.69, title="Cháy nhà dân")
    open_incident(by="vanhanh", incident=Incident.objects.get(code="INC-20261203-020"), alert=17)

Who is in charge of a step: its role, its unit, or for a unit kind the active unit of that kind serving
the incident's commune (the first by code); a step of a kind no unit serves keeps its role only.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

import notify
from layers.communes import communes_at
from layers.models import AdminUnit, Incident, ResponsibleUnit
from layers.vocabularies import INCIDENT_CATEGORY, SEVERITY
from response.errors import AlreadyDone, ResponseRefused
from response.models import IncidentResponse, IncidentStep, LogEntry, Sop, SopStep
from spatial.params import text_problem

TITLE_CHARS = 300
OPENED_FROM = ("new",)  # an incident in these statuses is dispatched when its response opens


def act_as(username: str) -> None:
    """Name `username` (or an actor that says what it is, as `rule:<code>`) as the actor of this
    transaction's changes in the layers' history."""
    actor = username if ":" in username else f"user:{username}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('ioc.actor', %s, true)", [actor])


def _text(name: str, value: str, most: int | None = None, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise ResponseRefused(f"{name}: hãy nhập nội dung / give a short text")
    if most is not None and len(text) > most:
        raise ResponseRefused(f"{name}: tối đa {most} ký tự / at most {most} characters")
    if problem := text_problem(text):
        raise ResponseRefused(f"{name}: văn bản không hợp lệ / {problem}")
    return text


def _code(at: datetime) -> str:
    return f"INC-{timezone.localtime(at):%Y%m%d}-{secrets.token_hex(3).upper()}"


def new_incident(*, category: str, lon: float, lat: float, title: str, severity: str = "medium",
                 description: str = "", source: str = "operator", at: datetime | None = None) -> Incident:
    """A new incident at (lon, lat) in the commune holding it today; ResponseRefused naming the field."""
    if category not in INCIDENT_CATEGORY:
        raise ResponseRefused(f"category: {category!r} không có trong danh mục / is not one of "
                              f"{', '.join(INCIDENT_CATEGORY.codes)}")
    if severity not in SEVERITY:
        raise ResponseRefused(f"severity: {severity!r} không có trong danh mục / is not one of "
                              f"{', '.join(SEVERITY.codes)}")
    title = _text("title", title, TITLE_CHARS, required=True)
    description = _text("description", description)
    at = at or timezone.now()
    point = Point(lon, lat, srid=4326)
    (ward_id,) = communes_at([point.ewkt], [timezone.localdate(at)])
    if ward_id is None:
        raise ResponseRefused("location: vị trí nằm ngoài địa bàn / the location is outside the city")
    return Incident.objects.create(code=_code(at), category=category, severity=severity, status="new",
                                   title=title, description=description, source=source, reported_at=at,
                                   geom=point, ward=AdminUnit.objects.get(pk=ward_id))


def unit_in_charge(sop_step: SopStep, incident: Incident, at: datetime) -> ResponsibleUnit | None:
    """The unit in charge of `sop_step` for `incident`: its own, or the one of its kind serving the
    incident's commune (the incident's ward, else the commune holding its point on the opening day)."""
    if sop_step.unit_id or not sop_step.unit_kind:
        return sop_step.unit
    wards = [incident.ward_id] if incident.ward_id else []
    (today,) = communes_at([incident.geom.ewkt], [timezone.localdate(at)])
    wards += [today] if today else []
    return (ResponsibleUnit.objects.filter(active=True, unit_kind=sop_step.unit_kind, wards__in=wards)
            .order_by("code").first())


def _steps(incident: Incident, sop: Sop | None, at: datetime) -> list[IncidentStep]:
    if sop is None:
        return []
    return [IncidentStep(code=f"{incident.code}-{step.number:02d}", incident=incident, number=step.number,
                         title_vi=step.title_vi, title_en=step.title_en, role=step.role,
                         unit=unit_in_charge(step, incident, at), checklist=step.checklist, status="todo",
                         opened_at=at, due_at=at + timedelta(minutes=step.target_minutes),
                         geom=incident.geom.clone())
            for step in sop.steps.select_related("unit").order_by("number")]


def _claim(incident: Incident) -> Incident:
    """The incident, locked; AlreadyDone if its response is open already."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if IncidentResponse.objects.filter(incident=locked).exists():
        raise AlreadyDone(f"incident: sự cố {locked.code} đã được mở ứng phó / the response of {locked.code} "
                          "is open already")
    return locked


@transaction.atomic
def open_incident(*, by: str, incident: Incident | None = None, alert: int | None = None,
                  at: datetime | None = None, announce: bool = True, **new: object) -> IncidentResponse:
    """Open the response of `incident`, or of a new one made from `new` (category, lon, lat, title,
    severity, description: see new_incident), by user `by` (or `rule:<code>`) at `at` (now), raised by
    alert id `alert`. Its category's active SOP gives the steps (none: no steps); a new incident is
    dispatched. `announce`: tell the channels (not for the demo's past)."""
    at = at or timezone.now()
    act_as(by)
    if incident is None:
        incident = new_incident(at=at, source="alert" if alert is not None else "operator", **new)
    else:
        incident = _claim(incident)
    sop = Sop.objects.filter(category=incident.category, active=True).first()
    response = IncidentResponse.objects.create(incident=incident, sop=sop, alert_id=alert, opened_at=at,
                                               opened_by=by)
    steps = IncidentStep.objects.bulk_create(_steps(incident, sop, at))
    if incident.status in OPENED_FROM:
        incident.status = "dispatched"
        incident.save(update_fields=["status"])
    note = (f"Mở ứng phó theo {sop.title_vi} ({len(steps)} bước) / opened under {sop.title_en}"
            if sop else "Mở ứng phó, chưa có quy trình cho loại sự cố này / opened; no SOP for this category")
    LogEntry.objects.create(incident=incident, at=at, by=by, kind="opened", note=note)
    if not announce:
        return response
    notify.publish("response.incident.opened", {
        "code": incident.code, "category": incident.category, "severity": incident.severity,
        "alert": alert, "opened_at": at.isoformat(), "steps": len(steps),
        "units": sorted({step.unit.code for step in steps if step.unit})})
    return response
