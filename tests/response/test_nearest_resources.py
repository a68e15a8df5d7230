"""Nearest resources by road: the closest health facilities, police or fire stations of an incident by
travel time over the roads layer (pgRouting), each with its road distance, travel time and route.

The order is checked against a plain pgRouting query over the routable graph; the graph itself
against the roads layer (every metre of road, its cost by the declared speed of its class)."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from response_calls import DONG_TAM, NAM_CUONG, open_by_api
from road_routes import plain_pgrouting

from layers.models import HealthFacility, Road
from layers.vocabularies import ROAD_CLASS

pytestmark = pytest.mark.django_db

def nearest(api, incident: int, query: str = "", user: str = "vanhanh") -> dict:
    answer = api("GET", f"incidents/{incident}/nearest{query}", user=user)
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.mark.parametrize(("kind", "point"), [("health", DONG_TAM), ("police", DONG_TAM), ("fire", NAM_CUONG),
                                             ("health", NAM_CUONG)])
def test_the_order_is_the_plain_pgrouting_order(api, sop, kind, point):
    incident = open_by_api(api, point=point)["incident"]["id"]
    body = nearest(api, incident, f"?kind={kind}&limit=5")
    expected = plain_pgrouting(kind, *point, 5)
    assert len(expected) >= 2
    assert [(r["code"], r["travel_s"]) for r in body["resources"]] == [
        (code, pytest.approx(cost, abs=0.01)) for code, cost in expected]
    assert [r["rank"] for r in body["resources"]] == list(range(1, len(expected) + 1))
    assert body["kind"] == kind


def test_each_resource_has_its_route_drawn_along_the_roads(api, sop):
    incident = open_by_api(api)["incident"]["id"]
    body = nearest(api, incident, "?kind=health&limit=3")
    origin = body["from"]
    assert set(origin) == {"vertex", "lon", "lat", "access_m"}
    for resource in body["resources"]:
        route = resource["route"]
        assert route["type"] == "LineString"
        line = GEOSGeometry(json.dumps(route), srid=4326)
        assert line.coords[0] == pytest.approx((origin["lon"], origin["lat"]))
        with connection.cursor() as cursor:
            cursor.execute("SELECT ST_Length(ST_GeomFromText(%s, 4326)::geography)", [line.wkt])
            assert resource["distance_m"] == pytest.approx(cursor.fetchone()[0], rel=1e-3)
        facility = HealthFacility.objects.get(code=resource["code"])
        assert (resource["lon"], resource["lat"]) == pytest.approx((facility.geom.x, facility.geom.y))
        assert resource["travel_s"] > 0 and resource["access_m"] >= 0
        assert set(resource) >= {"id", "name", "type", "layer", "address"}
    travel = [r["travel_s"] for r in body["resources"]]
    assert travel == sorted(travel)


def test_the_graph_covers_every_metre_of_road_at_the_speed_of_its_class(db):
    from response.road_graph import ROAD_SPEEDS_KMH, refresh

    state = refresh(force=True)
    assert set(ROAD_SPEEDS_KMH) == set(ROAD_CLASS.codes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(ST_Length(geom::geography)) FROM layers_road")
        roads = cursor.fetchone()[0]
        cursor.execute("SELECT sum(length_m), count(*), "
                       "count(*) FILTER (WHERE source IS NULL OR target IS NULL) FROM response_roadedge")
        edges, count, dangling = cursor.fetchone()
        cursor.execute("SELECT e.road_class, e.length_m, e.cost_s, e.reverse_cost_s FROM response_roadedge e")
        for road_class, length, cost, reverse in cursor.fetchall():
            assert cost == reverse == pytest.approx(length / (ROAD_SPEEDS_KMH[road_class] / 3.6))
    assert edges == pytest.approx(roads, rel=1e-4)  # noded, nothing lost or doubled
    assert dangling == 0 and count == state.edges > Road.objects.count()


def test_the_graph_follows_the_roads(api, sop):
    from response.road_graph import refresh

    before = refresh()
    assert refresh() == before  # nothing changed: not rebuilt
    road = Road.objects.order_by("pk").first()
    road.name = "Đường mới đặt tên"
    road.save()
    after = refresh()
    assert after.built_at > before.built_at and after.signature != before.signature


def test_the_incident_page_of_a_unit_staff_member_offers_nearest_too(api, sop):
    incident = open_by_api(api, point=NAM_CUONG)["incident"]["id"]
    assert nearest(api, incident, "?kind=police", user="xuly.namcuong")["resources"]
    assert nearest(api, incident, "?kind=fire", user="lanhdao")["resources"]


@pytest.mark.parametrize(("query", "named"), [("", "kind"), ("?kind=ambulance", "kind"),
                                              ("?kind=health&limit=0", "limit"),
                                              ("?kind=health&limit=x", "limit"),
                                              ("?kind=health&limit=51", "limit")])
def test_a_bad_parameter_is_a_400_naming_it(api, sop, query, named):
    incident = open_by_api(api)["incident"]["id"]
    answer = api("GET", f"incidents/{incident}/nearest{query}")
    assert answer.status_code == 400
    assert answer.json()["description"].startswith(f"{named}:")
