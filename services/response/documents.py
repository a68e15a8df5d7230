"""The JSON documents of the response API: an incident with its response, steps and log (the wall's
incident panel), a step, a log line, an SOP, a row of the list. Times are ISO 8601 in Vietnam's time;
coded values carry their Vietnamese and English labels."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, ExpressionWrapper, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from alerts.models import AlertRule
from layers.models import Incident
from layers.vocabularies import INCIDENT_CATEGORY, INCIDENT_STATUS, SEVERITY, UNIT_KIND, Vocabulary
from response.models import IncidentResponse, IncidentStep, LogEntry, Sop
from response.nearest import Reached
from response.resources import ResourceKind
from response.vocabularies import LOG_KIND, STEP_STATUS
from services.desk.queue import late
from services.response.access import incidents_layer, reads_log, steps_layer, visible_steps
from services.response.by_rule import RULE_ACTOR
from spatial.access import Viewer
from spatial.roles import ROLES

ROLE_BY_CODE = {role.code: role for role in ROLES}


def local(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 in Vietnam's time (None stays None)."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def coded(vocabulary: Vocabulary, code: str) -> dict | None:
    """A code with its labels, {"code", "vi", "en"} (a blank code: None)."""
    if not code:
        return None
    term = vocabulary[code]
    return {"code": term.code, "vi": term.vi, "en": term.en}


def _role(code: str) -> dict | None:
    role = ROLE_BY_CODE.get(code)
    return {"code": role.code, "vi": role.vi, "en": role.en} if role else None


def with_late(steps: QuerySet[IncidentStep]) -> QuerySet[IncidentStep]:
    """The steps, each with `late` by the layer's declared Deadline (the map's and the KPI's rule)."""
    return steps.select_related("unit").annotate(
        late=ExpressionWrapper(late(steps_layer()), output_field=BooleanField()))


def step_document(step: IncidentStep) -> dict:
    """A step as the panel shows it (annotated by with_late)."""
    role, unit = _role(step.role), step.unit
    unit_json = {"id": unit.pk, "code": unit.code, "name": unit.name, "name_en": unit.name_en or unit.name} \
        if unit else None
    if unit and role:
        in_charge = {"vi": f"{unit.name} ({role['vi']})", "en": f"{unit_json['name_en']} ({role['en']})"}
    elif unit or role:
        in_charge = {"vi": unit.name, "en": unit_json["name_en"]} if unit else \
            {"vi": role["vi"], "en": role["en"]}
    else:
        in_charge = {"vi": "Chưa có đơn vị phụ trách", "en": "Nobody in charge"}
    checked = set(step.checked)
    return {
        "id": step.pk, "code": step.code, "number": step.number, "version": step.version,
        "title_vi": step.title_vi, "title_en": step.title_en, "role": role, "unit": unit_json,
        "in_charge": in_charge,
        "checklist": [{**item, "checked": index in checked} for index, item in enumerate(step.checklist)],
        "status": step.status, "status_vi": STEP_STATUS[step.status].vi,
        "status_en": STEP_STATUS[step.status].en,
        "opened_at": local(step.opened_at), "due_at": local(step.due_at), "done_at": local(step.done_at),
        "done_by": step.done_by or None, "note": step.note, "late": bool(step.late),
    }


def _names(actors: set[str]) -> dict[str, tuple[str, str]]:
    """{actor: (vi, en) name}: a user's full name, or an alert rule's (`rule:<code>`)."""
    users = get_user_model().objects.filter(username__in=actors)
    names = {user.get_username(): (user.get_full_name() or user.get_username(),) * 2 for user in users}
    rules = {actor.removeprefix(RULE_ACTOR): actor for actor in actors if actor.startswith(RULE_ACTOR)}
    for rule in AlertRule.objects.filter(code__in=rules):
        names[rules[rule.code]] = (f"Quy tắc cảnh báo: {rule.name}", f"Alert rule: {rule.name_en}")
    return names


def log_document(entry: LogEntry, names: dict[str, tuple[str, str]] | None = None) -> dict:
    """A line of the log; `photo`: the address it is served at, for readers of the log."""
    names = names if names is not None else _names({entry.by})
    photo = reverse("response-log-photo", args=[entry.incident_id, entry.pk]) if entry.photo else None
    by_name, by_name_en = names.get(entry.by, (entry.by, entry.by))
    return {"id": entry.pk, "at": local(entry.at), "by": entry.by, "by_name": by_name,
            "by_name_en": by_name_en,
            "kind": entry.kind, "kind_vi": LOG_KIND[entry.kind].vi, "kind_en": LOG_KIND[entry.kind].en,
            "note": entry.note, "step": entry.step_id, "photo": photo}


def log_documents(incident: Incident) -> list[dict]:
    """The incident's log, in time order."""
    entries = list(LogEntry.objects.filter(incident=incident).order_by("at", "pk"))
    names = _names({entry.by for entry in entries})
    return [log_document(entry, names) for entry in entries]


def incident_document(viewer: Viewer, incident: Incident, readable: tuple[str, ...]) -> dict:
    """The incident's own fields (the description only for readers of restricted fields)."""
    document = {
        "id": incident.pk, "code": incident.code, "title": incident.title,
        "category": coded(INCIDENT_CATEGORY, incident.category),
        "severity": coded(SEVERITY, incident.severity),
        "status": coded(INCIDENT_STATUS, incident.status), "source": incident.source,
        "reported_at": local(incident.reported_at), "resolved_at": local(incident.resolved_at),
        "ward": {"id": incident.ward.pk, "name": incident.ward.name} if incident.ward else None,
        "lon": incident.geom.x, "lat": incident.geom.y,
    }
    if "description" in readable:
        document["description"] = incident.description
    return document


def response_document(response: IncidentResponse | None) -> dict | None:
    """When and by whom the response was opened, under which SOP, raised by which alert."""
    if response is None:
        return None
    sop = response.sop
    sop_json = {"id": sop.pk, "category": sop.category, "title_vi": sop.title_vi,
                "title_en": sop.title_en} if sop else None
    return {"sop": sop_json, "alert": response.alert_id, "opened_at": local(response.opened_at),
            "opened_by": response.opened_by}


def panel(viewer: Viewer, incident: Incident, may_act: bool) -> dict:
    """The incident panel: the incident, its response, the steps this viewer sees, the log (null for
    those who do not read it) and whether this viewer acts on it."""
    response = IncidentResponse.objects.select_related("sop").filter(incident=incident).first()
    steps = with_late(visible_steps(viewer).filter(incident=incident)).order_by("number")
    return {
        "incident": incident_document(viewer, incident, viewer.readable_fields(incidents_layer())),
        "response": response_document(response),
        "steps": [step_document(step) for step in steps],
        "log": log_documents(incident) if reads_log(viewer) else None,
        "may_act": may_act,
    }


def sop_document(sop: Sop) -> dict:
    """An SOP with its steps as an administrator wrote them."""
    return {
        "id": sop.pk, "category": coded(INCIDENT_CATEGORY, sop.category), "title_vi": sop.title_vi,
        "title_en": sop.title_en, "active": sop.active,
        "steps": [{"number": step.number, "title_vi": step.title_vi, "title_en": step.title_en,
                   "role": _role(step.role), "unit": {"id": step.unit.pk, "code": step.unit.code,
                                                      "name": step.unit.name} if step.unit else None,
                   "unit_kind": coded(UNIT_KIND, step.unit_kind), "target_minutes": step.target_minutes,
                   "checklist": step.checklist}
                  for step in sop.steps.select_related("unit").order_by("number")],
    }


def resource_document(kind: ResourceKind, reached: Reached, feature: Model) -> dict:
    """A resource reached by road: the feature (code, name, address, its type, its point), its rank,
    travel time (s), road distance (m), distance from its road vertex (m) and route (GeoJSON)."""
    layer = kind.layer
    vocabulary = layer.style.vocabulary if layer.style.by == kind.type_field else None
    kind_code = getattr(feature, kind.type_field)
    return {"rank": reached.rank, "id": feature.pk, "layer": layer.id, "code": feature.code,
            "name": feature.name, "address": feature.address,
            "type": coded(vocabulary, kind_code) if vocabulary else kind_code,
            "lon": feature.geom.x, "lat": feature.geom.y, "travel_s": round(reached.travel_s, 2),
            "distance_m": round(reached.distance_m, 1), "access_m": round(reached.access_m, 1),
            "route": reached.route}


def list_rows(viewer: Viewer, incidents: QuerySet[Incident]) -> list[dict]:
    """Rows of the list: each incident with its response's opening and its steps' counts (this viewer's)."""
    steps = visible_steps(viewer)
    lateness = late(steps_layer())
    counts = {row["incident_id"]: row for row in steps.filter(incident__in=incidents)
              .values("incident_id").annotate(total=Count("pk"), done=Count("pk", filter=Q(status="done")),
                                              late_steps=Count("pk", filter=lateness))}
    rows = []
    for incident in incidents.select_related("response"):
        count = counts.get(incident.pk, {})
        rows.append({"id": incident.pk, "code": incident.code, "title": incident.title,
                     "category": coded(INCIDENT_CATEGORY, incident.category),
                     "severity": coded(SEVERITY, incident.severity),
                     "status": coded(INCIDENT_STATUS, incident.status),
                     "opened_at": local(incident.response.opened_at), "alert": incident.response.alert_id,
                     "lon": incident.geom.x, "lat": incident.geom.y,
                     "steps": {"total": count.get("total", 0), "done": count.get("done", 0),
                               "late": count.get("late_steps", 0)}})
    return rows
