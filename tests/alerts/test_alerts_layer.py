"""The alerts layer is published like every layer: OGC API items for its readers (401 anonymous), and the
KPI panel's declared figures (alerts by severity, alerts not cleared, mean minutes to acknowledge) over
the demo's own alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from alerts.models import Alert
from democity.models import DemoCity

pytestmark = pytest.mark.django_db
KEEP_DEMO = True


def test_the_layers_readers_get_its_items_through_the_ogc_api(client, as_user):
    assert client.get("/ogc/collections/alerts/items").status_code == 401
    assert client.get("/ogc/collections/alerts/items", **as_user("gis")).status_code == 403
    answer = client.get("/ogc/collections/alerts/items?f=json", **as_user("vanhanh"))
    assert answer.status_code == 200
    features = answer.json()["features"]
    assert sorted(f["properties"]["code"] for f in features) == sorted(
        Alert.objects.values_list("code", flat=True))
    assert {f["properties"]["severity"] for f in features} == {"Severe", "Moderate", "Minor"}


def test_the_kpi_panel_counts_alerts_by_severity_and_the_mean_time_to_acknowledge(client):
    Alert.objects.filter(severity="Severe").update(status="acknowledged", ack_minutes=12.5)
    end = DemoCity.current().window().end
    client.force_login(get_user_model().objects.get(username="vanhanh"))
    window = f"{(end - timedelta(days=1)).isoformat()}/{(end + timedelta(hours=1)).isoformat()}"
    panel = client.get("/api/stats", {"datetime": window}).json()
    assert {k: v for k, v in panel["alerts_by_severity"].items() if v} == {"Severe": 1, "Moderate": 1,
                                                                            "Minor": 1}
    assert panel["alerts_open"] == 3 and panel["alerts_ack_minutes"] == 12.5
