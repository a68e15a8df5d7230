"""Fixtures of the alert tests: an injected clock far after the demo's data (2031), a test air station and a
camera in a demo ward, their readings and detections, and rules made as an administrator makes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from alert_data import HOUR, PLACE, T0
from django.contrib.gis.geos import Point
from jobs import committed, notify_settings, run_jobs  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def only_the_tests_rules(request):
    """The demo's rules and subscription set aside and its alerts out of the way, in the test's transaction
    (a module saying KEEP_DEMO = True reads them; committed tests set the demo's rules aside themselves)."""
    if getattr(request.module, "KEEP_DEMO", False) or request.node.get_closest_marker("django_db") is None:
        return
    from alerts.models import Alert, AlertRule, Subscription

    AlertRule.objects.update(active=False)
    Subscription.objects.update(active=False)
    Alert.objects.all().delete()


@pytest.fixture
def station(db):
    """An air station of the env_stations layer (code TEST-AQ-1), in a demo ward."""
    from layers.models import EnvStation

    return EnvStation.objects.create(code="TEST-AQ-1", name="Trạm thử Hồng Hà", station_type="air",
                                     geom=Point(*PLACE, srid=4326))


@pytest.fixture
def observe() -> Callable[..., None]:
    """observe(station, [v1, v2, …], first=T0, step=HOUR, metric="aqi"): hourly readings from `first` on."""
    from layers.models import Observation

    def add(feature, values, first: datetime = T0, step: timedelta = HOUR, metric: str = "aqi") -> None:
        Observation.objects.bulk_create(
            Observation(layer="env_stations", feature_id=feature.pk, metric=metric, period="hour",
                        observed_at=first + n * step, value=value) for n, value in enumerate(values))

    return add


@pytest.fixture
def rule() -> Callable[..., object]:
    """rule(code, kind, layer, **fields): a saved AlertRule (version 1), validated as the admin does."""
    from alerts.models import AlertRule

    def make(code: str, kind: str, layer: str, **fields) -> AlertRule:
        made = AlertRule(code=code, name=fields.pop("name", f"Quy tắc {code}"),
                         name_en=fields.pop("name_en", f"Rule {code}"), kind=kind, layer=layer, **fields)
        made.full_clean()
        made.save()
        return made

    return make


@pytest.fixture
def aqi_rule(rule, station):
    """AQI above 150 for 2 consecutive hourly readings within 3 h, at the test station only."""
    return rule("aqi-test", "threshold", "env_stations", metric="aqi", comparison="gt", threshold=150,
                readings=2, window_minutes=180, filters={"code": "TEST-AQ-1"}, severity="Severe",
                urgency="Immediate", category="Env", cooldown_minutes=60, public=True,
                name="AQI vượt 150 trong 2 giờ", name_en="AQI above 150 for 2 hours",
                instruction="Hạn chế ra ngoài", instruction_en="Stay indoors")
