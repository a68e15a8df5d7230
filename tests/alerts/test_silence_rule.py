"""Silence rules ("no data"): a station without a reading of its metric, or a camera without a detection,
for N minutes raises one alert; it clears when data come back."""

from __future__ import annotations

import pytest
from alert_data import HOUR, MINUTE, PLACE, T0
from django.contrib.gis.geos import Point

from alerts.evaluate import evaluate_all
from alerts.models import Alert
from layers.partitions import ensure_partitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def silence_rule(rule, station):
    return rule("station-silent", "silence", "env_stations", metric="aqi", silence_minutes=90,
                filters={"code": "TEST-AQ-1"}, severity="Minor", category="Env",
                name="Trạm quan trắc mất dữ liệu", name_en="Monitoring station without data")


def test_a_station_silent_for_longer_than_the_rule_raises_no_data(silence_rule, station, observe):
    observe(station, [80, 85])  # the last reading at T0 + 1 h
    assert evaluate_all(T0 + 2 * HOUR + 30 * MINUTE).opened == []  # 90 min exactly is not yet silence
    opened = evaluate_all(T0 + 2 * HOUR + 31 * MINUTE).opened
    alert = Alert.objects.get(pk__in=opened)
    assert (alert.kind, alert.subject, alert.value) == ("silence", f"feature:{station.pk}", 91.0)
    assert alert.title == "Trạm quan trắc mất dữ liệu: tại Trạm thử Hồng Hà"


def test_the_no_data_alert_clears_when_readings_come_back(silence_rule, station, observe):
    observe(station, [80])
    opened = evaluate_all(T0 + 3 * HOUR).opened
    observe(station, [90], first=T0 + 3 * HOUR + 5 * MINUTE)
    assert evaluate_all(T0 + 3 * HOUR + 10 * MINUTE).cleared == opened


def test_a_station_that_never_reported_is_silent_without_a_value(silence_rule, station):
    alert = Alert.objects.get(pk__in=evaluate_all(T0).opened)
    assert alert.value is None


def test_a_camera_without_detections_raises_no_data(rule, db):
    from layers.models import Camera, Detection

    camera = Camera.objects.create(code="TEST-CAM-1", name="Camera thử", bearing_deg=90,
                                   geom=Point(*PLACE, srid=4326))
    rule("camera-silent", "silence", "cameras", source_layer="detections", silence_minutes=30,
         filters={"code": ["TEST-CAM-1"], "status": "online"}, category="Infra",
         name="Camera mất tín hiệu", name_en="Camera without signal")
    ensure_partitions(T0 - HOUR, T0 + HOUR)
    Detection.objects.create(camera=camera, object_class="car", confidence=0.9, observed_at=T0,
                             geom=camera.geom)
    assert evaluate_all(T0 + 30 * MINUTE).opened == []
    alert = Alert.objects.get(pk__in=evaluate_all(T0 + 31 * MINUTE).opened)
    assert (alert.subject, alert.source_layer, alert.source_ids) == (f"feature:{camera.pk}", "cameras",
                                                                     [camera.pk])
