"""The alerts API the map wall reads: the alerts in force as GeoJSON with labels and colours, one alert,
filters naming the wrong parameter, and acknowledging (operators only: 401 anonymous, 403 for GIS users
and leaders, 409 once done)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts.models import Alert, AlertRule
from layers.models import AdminUnit
from notify.models import Event

pytestmark = pytest.mark.django_db
T0 = datetime(2031, 3, 3, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
API = "/api/alerts/"


@pytest.fixture
def make_alert():
    Alert.objects.all().delete()  # the demo's, in this test's transaction
    rule = AlertRule(code="api-aqi", name="AQI cao", name_en="High AQI", kind="threshold",
                     layer="env_stations", metric="aqi", threshold=150, readings=2, severity="Severe",
                     category="Env",
                     instruction="Hạn chế ra ngoài", instruction_en="Stay indoors")
    rule.save()
    ward = AdminUnit.objects.filter(level="commune", valid_to__isnull=True).order_by("code").first()
    count = iter(range(1, 100))

    def make(**fields) -> Alert:
        number = next(count)
        values = {"code": f"CB-TEST-{number}", "rule": rule, "rule_version": 1, "kind": "threshold",
                  "subject": f"feature:{number}", "title": f"AQI cao: tại trạm {number}",
                  "title_en": f"High AQI: at station {number}", "severity": "Severe", "urgency": "Immediate",
                  "certainty": "Observed", "category": "Env", "opened_at": T0 + number * timedelta(minutes=1),
                  "value": 170.0, "source_layer": "env_stations", "source_ids": [number], "ward": ward,
                  "geom": ward.geom.point_on_surface, **fields}
        return Alert.objects.create(**values)

    return make


def test_anonymous_is_asked_to_sign_in_and_a_gis_user_is_refused(client, as_user, make_alert):
    make_alert()
    assert client.get(API).status_code == 401
    refused = client.get(API, **as_user("gis"))
    assert refused.status_code == 403 and "alerts" in refused.json()["description"]


def test_the_wall_reads_the_alerts_in_force_newest_first(client, as_user, make_alert):
    first, second = make_alert(), make_alert(status="acknowledged")
    make_alert(status="cleared", cleared_at=T0 + timedelta(hours=1))
    body = client.get(API, **as_user("vanhanh")).json()
    assert body["type"] == "FeatureCollection" and body["layer"] == "alerts"
    assert [f["id"] for f in body["features"]] == [second.pk, first.pk]
    assert body["counts"] == {"open": 1, "acknowledged": 1} and body["may_acknowledge"] is True
    one = body["features"][1]
    assert one["geometry"]["type"] == "Point"
    properties = one["properties"]
    assert (properties["code"], properties["status"], properties["severity"], properties["color"]) == (
        first.code, "open", "Severe", "#D63031")
    assert properties["severity_label"] == {"code": "Severe", "vi": "Nghiêm trọng", "en": "Severe",
                                            "color": "#D63031"}
    assert properties["rule"]["code"] == "api-aqi" and properties["rule"]["version"] == 1
    assert properties["ward"]["id"] == first.ward_id
    assert properties["cap_url"].endswith(f"/api/alerts/{first.pk}.cap")
    assert properties["may_acknowledge"] is True
    assert body["features"][0]["properties"]["may_acknowledge"] is False  # already acknowledged


def test_a_leader_reads_but_may_not_acknowledge(client, as_user, make_alert):
    make_alert()
    body = client.get(API, **as_user("lanhdao")).json()
    assert body["may_acknowledge"] is False and body["features"][0]["properties"]["may_acknowledge"] is False


def test_filters_and_their_errors(client, as_user, make_alert):
    make_alert(severity="Minor")
    severe = make_alert()
    cleared = make_alert(status="cleared", cleared_at=T0 + timedelta(hours=1))
    get = lambda query: client.get(API + query, **as_user("vanhanh"))  # noqa: E731
    assert [f["id"] for f in get("?severity=Severe").json()["features"]] == [severe.pk]
    assert [f["id"] for f in get("?status=cleared").json()["features"]] == [cleared.pk]
    assert get("?limit=1").json()["numberReturned"] == 1
    for query, name in (("?severity=Huge", "severity"), ("?limit=0", "limit"), ("?since=yesterday", "since"),
                        ("?status=closed", "status"), ("?ward=x", "ward")):
        answer = get(query)
        assert answer.status_code == 400 and answer.json()["description"].startswith(name), query


def test_one_alert_and_an_unknown_one(client, as_user, make_alert):
    made = make_alert()
    assert client.get(f"{API}{made.pk}", **as_user("vanhanh")).json()["properties"]["code"] == made.code
    assert client.get(f"{API}999999", **as_user("vanhanh")).status_code == 404


def test_an_operator_acknowledges_an_open_alert_once(client, as_user, make_alert):
    made = make_alert(opened_at=T0)
    answer = client.post(f"{API}{made.pk}/acknowledge", **as_user("vanhanh"))
    assert answer.status_code == 200
    properties = answer.json()["properties"]
    assert (properties["status"], properties["acknowledged_by"]) == ("acknowledged", "vanhanh")
    made.refresh_from_db()
    assert made.ack_minutes == round((made.acknowledged_at - T0).total_seconds() / 60, 2)
    assert Event.objects.filter(type="alerts.alert.acknowledged", payload__code=made.code).count() == 1
    again = client.post(f"{API}{made.pk}/acknowledge", **as_user("vanhanh"))
    assert again.status_code == 409 and "acknowledged" in again.json()["description"]


def test_a_cleared_alert_cannot_be_acknowledged(client, as_user, make_alert):
    made = make_alert(status="cleared", cleared_at=T0)
    assert client.post(f"{API}{made.pk}/acknowledge", **as_user("vanhanh")).status_code == 409


def test_only_operators_acknowledge(client, as_user, make_alert):
    made = make_alert()
    assert client.post(f"{API}{made.pk}/acknowledge").status_code == 401
    assert client.post(f"{API}{made.pk}/acknowledge", **as_user("gis")).status_code == 403
    assert client.post(f"{API}{made.pk}/acknowledge", **as_user("lanhdao")).status_code == 403
    assert client.get(f"{API}{made.pk}/acknowledge", **as_user("vanhanh")).status_code == 405
    made.refresh_from_db()
    assert made.status == "open"
