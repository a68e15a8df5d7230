"""HTTP adapters of the response API (routes in services.response.urls, shapes in docs/response.md):
JSON in and out; writes need a signed-in operator or administrator and, from a browser, the CSRF
token (services.editing.csrf)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from alerts.models import Alert
from layers.models import Incident
from response import road_graph
from response.errors import NoSuchThing, ResponseRefused
from response.incident_log import add_note
from response.models import LogEntry, Sop
from response.nearest import nearest as nearest_resources
from response.opening import open_incident
from response.road_graph import ROAD_SPEEDS_KMH
from response.steps import complete_step
from services.editing.csrf import csrf_checked
from services.response import documents, inputs
from services.response.access import (
    actor,
    log_reader,
    may_act,
    reader,
    visible_incident,
    visible_incidents,
    visible_step,
)
from spatial.params import whole_number


def alert_offer(alert_id: int | None) -> dict:
    """What an incident opened from alert `alert_id` takes when the operator sends less: the category and
    severity the alert calls for, its point, title and its rule's instruction ({} without an alert)."""
    alert = Alert.objects.select_related("rule").filter(pk=alert_id).first() if alert_id is not None else None
    if alert is None:
        return {}
    return {**alert.incident_offer(), "lon": alert.geom.x, "lat": alert.geom.y, "title": alert.title,
            "description": alert.rule.instruction}


def _open(request: HttpRequest) -> JsonResponse:
    """POST incidents: open an incident's response, of an existing incident or of a new one."""
    viewer = actor(request)
    body = inputs.json_body(request)
    alert = inputs.identifier(body, "alert", "một cảnh báo / an alert")
    incident_id = inputs.identifier(body, "incident", "một sự cố / an incident")
    if incident_id is not None or "incident" in body:
        incident = Incident.objects.filter(pk=incident_id).first()
        if incident is None:
            raise ResponseRefused(f"incident: không có sự cố số {incident_id} / no incident {incident_id}")
        response = open_incident(by=viewer.username, incident=incident, alert=alert)
    else:
        offer = alert_offer(alert)
        response = open_incident(
            by=viewer.username, alert=alert,
            category=inputs.text(body, "category", offer.get("category") or ""),
            lon=inputs.number(body, "lon", offer.get("lon")),
            lat=inputs.number(body, "lat", offer.get("lat")),
            title=inputs.text(body, "title", offer.get("title", "")),
            severity=inputs.text(body, "severity", offer.get("severity", "medium")),
            description=inputs.text(body, "description", offer.get("description", "")))
    return JsonResponse(documents.panel(viewer, response.incident, may_act(viewer)), status=201)


@require_GET
def _list(request: HttpRequest) -> JsonResponse:
    """GET incidents: the incidents with a response, the latest opened first (?alert=: the one opened
    from that alert)."""
    viewer = reader(request)
    limit = inputs.whole(request.GET, "limit", inputs.DEFAULT_ROWS, inputs.MOST_ROWS)
    offset = inputs.whole(request.GET, "offset", 0, 10**9, least=0)
    incidents = visible_incidents(viewer).filter(response__isnull=False)
    if request.GET.get("alert"):
        alert = inputs.whole(request.GET, "alert", 0, 2**63 - 1)
        incidents = incidents.filter(response__alert_id=alert)
    page = incidents.order_by("-response__opened_at", "-pk")[offset:offset + limit]
    return JsonResponse({"total": incidents.count(), "incidents": documents.list_rows(viewer, page)})


@csrf_exempt
def incidents(request: HttpRequest) -> HttpResponse:
    """GET incidents (the list) or POST incidents (open one)."""
    return csrf_checked(_open)(request) if request.method == "POST" else _list(request)


@require_GET
def incident(request: HttpRequest, incident_id: str) -> JsonResponse:
    """GET incidents/<id>: the incident panel."""
    viewer = reader(request)
    return JsonResponse(documents.panel(viewer, visible_incident(viewer, incident_id), may_act(viewer)))


@csrf_checked
def step_done(request: HttpRequest, incident_id: str, step_id: str) -> JsonResponse:
    """POST incidents/<id>/steps/<step id>/done {"checked": [indexes], "note": text}: the step and its log
    line; 409 when it is done already."""
    viewer = actor(request)
    step = visible_step(viewer, visible_incident(viewer, incident_id), step_id)
    body = inputs.json_body(request)
    checked, note = inputs.indexes(body, "checked"), inputs.text(body, "note")
    done, entry = complete_step(step, by=viewer.username, checked=checked, note=note)
    (annotated,) = documents.with_late(type(done).objects.filter(pk=done.pk))
    return JsonResponse({"step": documents.step_document(annotated), "log": documents.log_document(entry)})


def _write_log(request: HttpRequest, incident_id: str) -> JsonResponse:
    viewer = actor(request)
    incident = visible_incident(viewer, incident_id)
    if request.content_type == "application/json":
        note, photo = inputs.text(inputs.json_body(request), "note"), None
    else:
        note, upload = request.POST.get("note", ""), request.FILES.get("photo")
        photo = (upload.name, upload.read()) if upload is not None else None
    entry = add_note(incident, by=viewer.username, note=note, photo=photo)
    return JsonResponse(documents.log_document(entry), status=201)


@csrf_exempt
def log(request: HttpRequest, incident_id: str) -> HttpResponse:
    """GET incidents/<id>/log: {"log": [lines]}; POST (multipart `note`, `photo`; or JSON {"note"}): 201."""
    if request.method == "POST":
        return csrf_checked(_write_log)(request, incident_id)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    viewer = log_reader(request)
    return JsonResponse({"log": documents.log_documents(visible_incident(viewer, incident_id))})


@require_GET
def log_photo(request: HttpRequest, incident_id: str, entry_id: str) -> FileResponse:
    """GET incidents/<id>/log/<entry id>/photo: the JPEG, for readers of the log."""
    viewer = log_reader(request)
    incident = visible_incident(viewer, incident_id)
    pk = whole_number(entry_id)
    entry = LogEntry.objects.filter(incident=incident, pk=pk).exclude(photo="").first() if pk else None
    if entry is None:
        raise NoSuchThing(f"không có ảnh số {entry_id} / no photo {entry_id}")
    response = FileResponse((settings.MEDIA_ROOT / entry.photo.name).open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def nearest(request: HttpRequest, incident_id: str) -> JsonResponse:
    """GET incidents/<id>/nearest?kind=health|police|fire&limit=5: the resources nearest by road."""
    viewer = reader(request)
    incident = visible_incident(viewer, incident_id)
    kind = inputs.resource_kind(request.GET)
    limit = inputs.whole(request.GET, "limit", inputs.DEFAULT_LIMIT, inputs.MOST_RESOURCES)
    if not viewer.can_read(kind.layer):
        raise ResponseRefused(f"kind: vai trò của bạn không xem được lớp {kind.layer.id} / your roles do not "
                              f"read {kind.layer.id}")
    origin, reached = nearest_resources(incident, kind, limit)
    features = kind.layer.model_class.objects.in_bulk([r.feature_id for r in reached])
    resources = [documents.resource_document(kind, r, features[r.feature_id]) for r in reached]
    graph = road_graph.current()
    return JsonResponse({
        "incident": incident.pk, "kind": kind.code, "kind_vi": kind.vi, "kind_en": kind.en,
        "from": {"vertex": origin.vertex, "lon": origin.lon, "lat": origin.lat,
                 "access_m": round(origin.access_m, 1)} if origin else None,
        "resources": resources,
        "graph": {"built_at": documents.local(graph.built_at), "edges": graph.edges,
                  "vertices": graph.vertices, "speeds_kmh": ROAD_SPEEDS_KMH} if graph else None,
    })


@require_GET
def sops(request: HttpRequest) -> JsonResponse:
    """GET sops: every SOP with its steps."""
    reader(request)
    procedures = Sop.objects.order_by("category")
    return JsonResponse({"sops": [documents.sop_document(sop) for sop in procedures]})
