"""The demo city's incident response: the SOPs of its categories, police and fire stations by the roads,
a few incidents with steps in flight (some done in time, some late, some still to do), the road graph."""

from __future__ import annotations

import pytest
from django.db.models import F, Q

from layers.models import AdminUnit
from layers.vocabularies import INCIDENT_CATEGORY

pytestmark = pytest.mark.django_db


def test_the_demo_sops_cover_fire_flood_traffic_accidents_and_public_order():
    from response.models import Sop, SopStep

    demo = {"fire", "flood", "traffic_accident", "public_order"}
    assert set(Sop.objects.values_list("category", flat=True)) == demo <= set(INCIDENT_CATEGORY.codes)
    for step in SopStep.objects.all():
        step.full_clean()  # someone in charge, checklists of equal length
    assert SopStep.objects.filter(sop__category="flood", unit__code__in=["CTN", "SNNMT"]).count() == 2


def test_the_demo_stations_stand_in_the_city():
    from response.models import EmergencyStation

    stations = EmergencyStation.objects.all()
    assert {s: stations.filter(service=s).count() for s in ("police", "fire")} == {"police": 7, "fire": 3}
    fire = stations.filter(service="fire").order_by("code")
    assert [s.code for s in fire] == ["PCCC-01", "PCCC-02", "PCCC-03"]
    city = AdminUnit.objects.filter(level="commune", valid_to__isnull=True)
    for station in stations:
        assert city.filter(geom__covers=station.geom).exists(), station.code
        assert station.ward_id is not None


def test_the_demo_has_responses_in_flight():
    from response.models import IncidentResponse, IncidentStep, LogEntry

    responses = IncidentResponse.objects.select_related("incident")
    categories = [r.incident.category for r in responses]  # the open incidents of the demo's end, and
    assert set(categories) <= {"fire", "flood", "traffic_accident", "public_order"}  # a new landslide
    assert responses.filter(incident__category="flood", incident__ward__code="04303").count() == 1
    steps = IncidentStep.objects.filter(incident__response__isnull=False)
    assert steps.filter(unit__code="UBND-04303").exists()  # what xuly.namcuong sees
    assert steps.filter(status="done", done_at__gt=F("due_at")).exists()  # done late
    assert steps.filter(status="done", done_at__lte=F("due_at")).exists()  # done in time
    assert steps.filter(status="todo").count() >= len(responses)  # something left to do on each
    assert not steps.filter(Q(role="") & Q(unit__isnull=True)).exists()
    assert steps.filter(unit__code="CA").exists() and steps.filter(unit__code__startswith="UBND-").exists()
    assert {entry.kind for entry in LogEntry.objects.all()} >= {"opened", "step_done", "note"}


def test_the_road_graph_is_built_at_load():
    from response.models import RoadGraph

    graph = RoadGraph.objects.get()
    assert graph.edges > 1000 and graph.vertices > 1000
