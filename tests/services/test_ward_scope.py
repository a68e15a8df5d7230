""""Your wards only" holds for the shape as well as the `ward` attribute, on every layer with both."""

from __future__ import annotations

import json

import pytest
from shapely import affinity
from shapely.geometry import mapping, shape

from layers.models import AdminUnit, FeatureHistory
from layers.registry import registry

pytestmark = pytest.mark.django_db
GEOJSON = "application/geo+json"



def ward(name: str) -> AdminUnit:
    return AdminUnit.objects.get(name=name, level="commune", valid_to__isnull=False)


def moved_into(zone, target: AdminUnit) -> dict:
    """The zone's shape moved so that its centroid lies at the target ward's inner point."""
    geometry = shape(json.loads(zone.geom.geojson))
    inner = target.geom.point_on_surface
    return mapping(affinity.translate(geometry, inner.x - geometry.centroid.x, inner.y - geometry.centroid.y))


@pytest.mark.parametrize("user", ["diachinh.dongtam", "quyhoach"])
def test_a_zoning_plan_cannot_be_moved_into_a_ward_outside_the_editors(client, user, as_user):
    zone = registry.get("zoning").queryset().filter(ward=ward("Đồng Tâm")).order_by("pk").first()
    far = AdminUnit.objects.filter(level="commune", valid_to__isnull=False).exclude(
        name__in=["Đồng Tâm", "Hồng Hà", "Nguyễn Thái Học"]).exclude(geom__intersects=zone.geom) \
        .order_by("pk").first()
    history = FeatureHistory.objects.count()
    response = client.patch(
        f"/ogc/collections/zoning/items/{zone.pk}", json.dumps({"geometry": moved_into(zone, far)}),
        content_type=GEOJSON, HTTP_IF_MATCH=f'"{zone.version}"', **as_user(user))
    assert response.status_code == 403, response.content
    assert far.name in response.json()["description"]
    assert FeatureHistory.objects.count() == history


def test_a_zoning_plan_reshaped_inside_the_editors_wards_is_accepted(client, as_user):
    zone = registry.get("zoning").queryset().filter(ward=ward("Đồng Tâm")).order_by("pk").first()
    smaller = mapping(affinity.scale(shape(json.loads(zone.geom.geojson)), 0.9, 0.9, origin="centroid"))
    response = client.patch(
        f"/ogc/collections/zoning/items/{zone.pk}", json.dumps({"geometry": smaller}),
        content_type=GEOJSON, HTTP_IF_MATCH=f'"{zone.version}"', **as_user("diachinh.dongtam"))
    assert response.status_code == 200, response.content


def test_a_new_zoning_plan_outside_the_editors_wards_is_refused(client, as_user):
    zone = registry.get("zoning").queryset().filter(ward=ward("Đồng Tâm")).order_by("pk").first()
    far = ward("Hồng Hà")
    body = {"type": "Feature", "geometry": moved_into(zone, far),
            "properties": {"plan_name": zone.plan_name, "decision_no": zone.decision_no,
                           "decision_date": str(zone.decision_date), "zone_code": "TEST-1",
                           "function": zone.function, "ward": zone.ward_id}}
    response = client.post("/ogc/collections/zoning/items", json.dumps(body), content_type=GEOJSON,
                           **as_user("diachinh.dongtam"))
    assert response.status_code == 403, response.content
    assert "Hồng Hà" in response.json()["description"]
