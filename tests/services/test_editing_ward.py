"""A feature written without a ward belongs to the commune holding its shape on its day
(ioc_commune_at, layers.communes); a ward the editor gives is kept and checked as before."""

from __future__ import annotations

import json
from datetime import date

import pytest
from shapely import affinity
from shapely.geometry import mapping, shape

from layers.models import AdminUnit, ZoningPlan

pytestmark = pytest.mark.django_db
GEOJSON = "application/geo+json"
ITEMS = "/ogc/collections/zoning/items"
REFORM = date(2025, 7, 1)
BEFORE = date(2025, 6, 30)


def commune(name: str, day: date) -> AdminUnit:
    return AdminUnit.objects.communes().valid_on(day).get(name=name)


def new_plan(zone_code: str, decision_date: str, **properties) -> dict:
    """A small zone (a quarter of a Đồng Tâm zone's size, around its centre), without a ward."""
    zone = ZoningPlan.objects.filter(ward=commune("Đồng Tâm", BEFORE)).order_by("pk").first()
    smaller = affinity.scale(shape(json.loads(zone.geom.geojson)), 0.5, 0.5, origin="centroid")
    return {"type": "Feature", "geometry": mapping(smaller),
            "properties": {"plan_name": "Quy hoạch thử", "decision_no": "WARD-TEST", "zone_code": zone_code,
                           "decision_date": decision_date, "function": zone.function, **properties}}


def created_ward(client, as_user, body: dict, user: str = "quantri") -> int | None:
    response = client.post(ITEMS, json.dumps(body), content_type=GEOJSON, **as_user(user))
    assert response.status_code == 201, response.content
    return ZoningPlan.objects.get(pk=response.json()["id"]).ward_id


def test_a_plan_without_a_ward_is_in_the_commune_of_its_decision_day(client, as_user):
    assert created_ward(client, as_user, new_plan("W-1", "2020-05-04")) == commune("Đồng Tâm", BEFORE).pk
    assert created_ward(client, as_user, new_plan("W-2", "2025-07-01")) == commune("Yên Bái", REFORM).pk


def test_a_ward_given_by_the_editor_is_kept(client, as_user):
    given = commune("Hồng Hà", BEFORE)
    assert created_ward(client, as_user, new_plan("W-3", "2026-01-05", ward=given.pk)) == given.pk


def test_a_planner_may_leave_out_the_ward_of_a_plan_inside_their_wards(client, as_user):
    """quyhoach is bound to Đồng Tâm, Hồng Hà and Nguyễn Thái Học (the structure before 2025)."""
    assert created_ward(client, as_user, new_plan("W-4", "2024-03-01"), user="quyhoach") == commune(
        "Đồng Tâm", date(2024, 3, 1)).pk
