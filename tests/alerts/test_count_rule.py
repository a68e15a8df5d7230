"""Count rules: at least N events of a layer (optionally of one code) within a time window, within R
metres of each other or in one ward, open one alert over the cluster (a CAP circle) or the ward (a CAP
polygon); the alert follows the cluster as events join and leave, and clears when fewer remain."""

from __future__ import annotations

import pytest
from alert_data import HOUR, PLACE, T0, incident, metres_east

from alerts.evaluate import evaluate_all
from alerts.models import Alert

pytestmark = pytest.mark.django_db
LON, LAT = PLACE


@pytest.fixture
def cluster_rule(rule):
    return rule("accidents-500m", "count", "incidents", filters={"category": "traffic_accident"}, min_count=5,
                grouping="radius", radius_m=500, window_minutes=24 * 60, severity="Moderate",
                category="Transport", name="Nhiều tai nạn giao thông gần nhau",
                name_en="Several traffic accidents close together")


def accidents(count: int, first=T0, spacing_m: float = 100, prefix: str = "TA", **fields) -> list[int]:
    return [incident(f"{prefix}-{n}", first + n * HOUR, LON + metres_east(n * spacing_m), LAT, **fields).pk
            for n in range(count)]


def test_five_accidents_within_500_m_in_24_h_open_one_alert(cluster_rule):
    ids = accidents(5)
    alert = Alert.objects.get(pk__in=evaluate_all(T0 + 5 * HOUR).opened)
    assert (alert.kind, alert.value, alert.source_ids, alert.source_layer) == ("count", 5.0, ids, "incidents")
    assert alert.subject == f"cluster:{ids[0]}"
    assert alert.title == "Nhiều tai nạn giao thông gần nhau: 5 sự kiện tại " + alert.ward.name
    assert abs(alert.geom.x - (LON + metres_east(200))) < 1e-6 and alert.area is None
    assert 195 <= alert.radius_m <= 215  # the farthest member is 200 m from the centre


def test_four_accidents_are_not_enough(cluster_rule):
    accidents(4)
    assert evaluate_all(T0 + 5 * HOUR).opened == []


def test_accidents_too_far_apart_do_not_cluster(cluster_rule):
    accidents(5, spacing_m=700)
    assert evaluate_all(T0 + 5 * HOUR).opened == []


def test_other_categories_and_old_events_do_not_count(cluster_rule):
    accidents(3)
    accidents(2, prefix="FIRE", category="fire")
    accidents(2, first=T0 - 30 * HOUR, prefix="OLD")
    assert evaluate_all(T0 + 5 * HOUR).opened == []


def test_the_alert_follows_its_cluster_and_clears_when_it_thins_out(cluster_rule):
    ids = accidents(6)
    first = evaluate_all(T0 + 5 * HOUR)
    grown = evaluate_all(T0 + 6 * HOUR)
    alert = Alert.objects.get()
    assert (first.opened, grown.opened, grown.refreshed) == ([alert.pk], [], [alert.pk])
    assert alert.source_ids == ids and alert.value == 6.0
    assert evaluate_all(T0 + 24 * HOUR + HOUR / 2).refreshed == [alert.pk]  # the first left: 5 remain
    assert Alert.objects.get().source_ids == ids[1:]
    assert evaluate_all(T0 + 25 * HOUR + HOUR / 2).cleared == [alert.pk]


def test_by_ward_the_alert_covers_the_ward(rule):
    rule("fires-ward", "count", "incidents", filters={"category": "fire"}, min_count=3, grouping="ward",
         window_minutes=7 * 24 * 60, category="Fire", severity="Severe")
    ids = accidents(3, spacing_m=50, prefix="F", category="fire")
    alert = Alert.objects.get(pk__in=evaluate_all(T0 + 3 * HOUR).opened)
    assert alert.subject == f"ward:{alert.ward_id}" and alert.source_ids == ids
    assert alert.area is not None and alert.area.contains(alert.geom) and alert.radius_m is None


def test_camera_detections_make_a_crowd(rule, db):
    from django.contrib.gis.geos import Point

    from layers.models import Camera, Detection
    from layers.partitions import ensure_partitions

    camera = Camera.objects.create(code="TEST-CAM-2", name="Camera chợ", bearing_deg=0, geom=Point(LON, LAT))
    rule("crowd", "count", "detections", filters={"object_class": "person"}, min_count=20, radius_m=30,
         window_minutes=10, category="Safety", name="Đám đông", name_en="Crowd")
    ensure_partitions(T0 - HOUR, T0 + HOUR)
    Detection.objects.bulk_create(
        Detection(camera=camera, object_class=object_class, confidence=0.8, observed_at=T0 + n * (HOUR / 600),
                  geom=Point(LON + metres_east(n % 5), LAT, srid=4326))
        for n in range(25) for object_class in ("person", "car"))
    alert = Alert.objects.get(pk__in=evaluate_all(T0 + HOUR / 12).opened)
    assert alert.value == 25.0 and alert.source_layer == "detections"
