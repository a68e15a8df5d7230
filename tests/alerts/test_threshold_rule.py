"""Threshold rules on an injected clock: the last N readings of a metric at a feature, within the window,
all over the threshold open one alert; it follows the readings while they stay over and clears when one
falls back; one reading over, or readings outside the window, do not open anything."""

from __future__ import annotations

import pytest
from alert_data import HOUR, MINUTE, T0

from alerts.evaluate import evaluate_all
from alerts.models import Alert

pytestmark = pytest.mark.django_db


def test_two_readings_over_150_open_one_alert_at_the_station(aqi_rule, station, observe):
    observe(station, [120, 160, 170])
    outcome = evaluate_all(T0 + 2 * HOUR)
    alert = Alert.objects.get()
    assert outcome.opened == [alert.pk]
    assert (alert.rule, alert.rule_version, alert.kind, alert.status) == (aqi_rule, 1, "threshold", "open")
    assert (alert.subject, alert.value, alert.source_ids) == (f"feature:{station.pk}", 170.0, [station.pk])
    assert (alert.severity, alert.urgency, alert.certainty, alert.category) == ("Severe", "Immediate",
                                                                               "Observed", "Env")
    assert alert.title == "AQI vượt 150 trong 2 giờ: tại Trạm thử Hồng Hà"
    assert alert.title_en == "AQI above 150 for 2 hours: at Trạm thử Hồng Hà"
    assert alert.opened_at == T0 + 2 * HOUR and alert.code.startswith("CB-20310303-")
    assert alert.geom.equals_exact(station.geom, 1e-9) and alert.ward_id is not None
    assert alert.source_layer == "env_stations"


def test_one_reading_over_is_not_enough(aqi_rule, station, observe):
    observe(station, [120, 140, 170])
    assert evaluate_all(T0 + 2 * HOUR).opened == []
    assert not Alert.objects.exists()


def test_readings_older_than_the_window_do_not_count(aqi_rule, station, observe):
    observe(station, [160, 170])  # at T0 and T0+1h; the window is 3 h
    opened = evaluate_all(T0 + 2 * HOUR + 30 * MINUTE).opened
    assert len(opened) == 1
    assert evaluate_all(T0 + 3 * HOUR + 30 * MINUTE).cleared == opened  # the first reading aged out


def test_readings_after_the_clock_are_not_read(aqi_rule, station, observe):
    observe(station, [160, 170, 180])
    assert evaluate_all(T0).opened == []  # only the first reading exists at T0


def test_the_alert_holds_while_over_and_clears_once_when_back(aqi_rule, station, observe):
    observe(station, [160, 170, 190, 120])
    first = evaluate_all(T0 + HOUR)
    again = evaluate_all(T0 + 2 * HOUR)
    back = evaluate_all(T0 + 3 * HOUR)
    after = evaluate_all(T0 + 3 * HOUR + 30 * MINUTE)
    alert = Alert.objects.get()
    assert (first.opened, again.opened, again.refreshed, back.cleared, after.cleared) == (
        [alert.pk], [], [alert.pk], [alert.pk], [])
    assert (alert.status, alert.cleared_at, alert.value) == ("cleared", T0 + 3 * HOUR, 190.0)


def test_below_compares_the_other_way(rule, station, observe):
    rule("low-test", "threshold", "env_stations", metric="aqi", comparison="lt", threshold=20, readings=3,
         window_minutes=240, filters={"code": "TEST-AQ-1"})
    observe(station, [10, 12, 15])
    assert Alert.objects.filter(pk__in=evaluate_all(T0 + 2 * HOUR).opened).get().value == 15.0
