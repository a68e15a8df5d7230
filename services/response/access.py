"""Who may use the response API, derived from the declarations: readers of the steps layer follow
incidents' responses (operators, leaders, unit staff: their units' steps only); editors of the
incidents layer act (open, complete, write the log: operators, administrators); readers of the
incidents' restricted fields read the log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from layers.models import Incident
from layers.registry import Layer, registry
from response.errors import NoSuchThing
from response.models import IncidentStep
from spatial.access import Viewer
from spatial.errors import Forbidden
from spatial.params import whole_number


def steps_layer() -> Layer:
    """The declaration of the incidents' response steps."""
    return registry.for_model(IncidentStep)[0]


def incidents_layer() -> Layer:
    """The declaration of the incidents."""
    return registry.for_model(Incident)[0]


def reader(request: HttpRequest) -> Viewer:
    """The viewer, if it may follow responses (401 signed out, 403 without a role that reads the steps)."""
    viewer = Viewer.signed_in(request.user, "để theo dõi ứng phó sự cố", "to follow incidents' responses")
    if not viewer.can_read(steps_layer()):
        raise Forbidden("vai trò của bạn không xem được ứng phó sự cố",
                        "your roles do not include incident response")
    return viewer


def may_act(viewer: Viewer) -> bool:
    """Whether the viewer opens incidents, completes steps and writes the log (the incidents' editors)."""
    return viewer.can_write(incidents_layer(), "update") and viewer.unit_scope(steps_layer()) is None


def actor(request: HttpRequest) -> Viewer:
    """The viewer, if it may act on responses; 403 for those who only read."""
    viewer = reader(request)
    if not may_act(viewer):
        raise Forbidden("vai trò của bạn chỉ được xem ứng phó sự cố / your roles may follow incidents' "
                        "responses, not act on them")
    return viewer


def reads_log(viewer: Viewer) -> bool:
    """Whether the viewer reads incidents' logs (as it reads their restricted fields)."""
    return viewer.sees_restricted(incidents_layer())


def log_reader(request: HttpRequest) -> Viewer:
    """The viewer, if it reads incidents' logs; 403 otherwise (unit staff)."""
    viewer = reader(request)
    if not reads_log(viewer):
        raise Forbidden("nhật ký sự cố chỉ dành cho điều hành viên và lãnh đạo / the incident log is for "
                        "operators and leaders")
    return viewer


def visible_steps(viewer: Viewer) -> QuerySet[IncidentStep]:
    """The steps this viewer may see: all, or its units' only."""
    layer = steps_layer()
    return viewer.scoped(layer, layer.queryset())


def visible_incidents(viewer: Viewer) -> QuerySet[Incident]:
    """The incidents this viewer may follow: all, or those with a step of its units."""
    incidents = incidents_layer().queryset()
    if viewer.unit_scope(steps_layer()) is None:
        return incidents
    return incidents.filter(pk__in=visible_steps(viewer).values("incident_id"))


def visible_incident(viewer: Viewer, incident_id: object) -> Incident:
    """One incident this viewer may follow (404 otherwise, as if it did not exist)."""
    pk = whole_number(str(incident_id))
    incident = visible_incidents(viewer).select_related("ward").filter(pk=pk).first() if pk else None
    if incident is None:
        raise NoSuchThing(f"không có sự cố số {incident_id} / no incident {incident_id}")
    return incident


def visible_step(viewer: Viewer, incident: Incident, step_id: object) -> IncidentStep:
    """One step of `incident` this viewer may see (404 otherwise)."""
    pk = whole_number(str(step_id))
    step = visible_steps(viewer).filter(incident=incident, pk=pk).first() if pk else None
    if step is None:
        raise NoSuchThing(f"sự cố {incident.code} không có bước số {step_id} / incident {incident.code} "
                          f"has no step {step_id}")
    return step
