"""The demo (#19 item 7): `ioc load_demo` declares the demo's rules and gives its data the episodes they
catch, so that the wall starts with a few open alerts: poor air at the industrial park's station, five
traffic accidents at one crossing within a day, a camera silent for more than 12 hours."""

from __future__ import annotations

import pytest

from alerts.models import Alert, AlertRule
from democity.alerts import AQI_STATION, RULES
from layers.models import Camera, EnvStation, Incident

pytestmark = pytest.mark.django_db
KEEP_DEMO = True


def test_the_demo_declares_its_rules_once_each_at_version_1():
    declared = AlertRule.objects.filter(code__in=[r["code"] for r in RULES])
    assert sorted(declared.values_list("code", "version")) == sorted((r["code"], 1) for r in RULES)


def test_the_demo_ends_with_its_three_episodes_open():
    open_alerts = {a.rule.code: a for a in Alert.objects.filter(status="open").select_related("rule")}
    assert sorted(open_alerts) == ["accidents-500m-24h", "aqi-150-2h", "camera-silent-12h"]
    station = EnvStation.objects.get(code=AQI_STATION)
    aqi = open_alerts["aqi-150-2h"]
    assert (aqi.subject, aqi.value) == (f"feature:{station.pk}", 183)
    series = set(Incident.objects.filter(code__regex=r"^INC-\d{8}-9\d\d$").values_list("pk", flat=True))
    assert len(series) == 5 and series <= set(open_alerts["accidents-500m-24h"].source_ids)
    camera = Camera.objects.get(pk=open_alerts["camera-silent-12h"].source_ids[0])
    assert camera.status == "online" and open_alerts["camera-silent-12h"].value > 12 * 60
