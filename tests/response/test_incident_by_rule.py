"""An alert opens an incident by rule: a rule that says so opens, when it fires, one incident of its
declared category under that category's SOP, tied to the alert and logged as the rule's doing; the alert
holding opens nothing more; a rule that does not say so opens nothing; an incident that cannot open (the
alert lies outside the city) leaves the alert open. The operator's one click is offered the same
category and severity, from the server."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from response_calls import DONG_TAM, SOP_CATEGORY

from alerts.evaluate import evaluate_rule
from alerts.models import Alert, AlertRule
from response.models import IncidentResponse, IncidentStep, LogEntry
from spatial.params import LOCAL_TZ

pytestmark = pytest.mark.django_db

T0 = datetime(2031, 3, 3, 8, 0, tzinfo=LOCAL_TZ)  # after every demo reading
HOUR = timedelta(hours=1)
OUTSIDE = (105.80, 21.03)  # Hà Nội: no ward of the demo city holds it


def station_with_readings(code: str, place: tuple[float, float], values: list[float]):
    from layers.models import EnvStation, Observation

    station = EnvStation.objects.create(code=code, name=f"Trạm thử {code}", station_type="air",
                                        geom=Point(*place, srid=4326))
    Observation.objects.bulk_create(
        Observation(layer="env_stations", feature_id=station.pk, metric="aqi", period="hour",
                    observed_at=T0 + n * HOUR, value=value) for n, value in enumerate(values))
    return station


def threshold_rule(code: str, station_code: str, **fields) -> AlertRule:
    declared = {"name": "Cột điện quá tải", "name_en": "Overloaded pole", "kind": "threshold",
                "layer": "env_stations", "metric": "aqi", "comparison": "gt", "threshold": 150, "readings": 2,
                "window_minutes": 180, "filters": {"code": station_code}, "severity": "Severe",
                "urgency": "Immediate", "category": "Infra", "instruction": "Cắt điện khu vực"}
    rule = AlertRule(code=code, **{**declared, **fields})
    rule.full_clean()
    rule.save()
    return rule


def test_a_rule_that_opens_incidents_opens_one_under_its_sop_when_it_fires(sop):
    rule = threshold_rule("pole-by-rule", "TEST-BR-1", opens_incident=True, incident_category=SOP_CATEGORY)
    station_with_readings("TEST-BR-1", DONG_TAM, [160, 170, 180])

    evaluate_rule(rule, T0 + HOUR)
    alert = Alert.objects.get(rule=rule)
    response = IncidentResponse.objects.get(alert_id=alert.pk)
    incident = response.incident
    assert (incident.category, incident.severity, incident.source) == (SOP_CATEGORY, "high", "alert")
    assert incident.title == alert.title and incident.description == "Cắt điện khu vực"
    assert incident.geom.equals_exact(alert.geom, 1e-9) and incident.ward_id == alert.ward_id
    assert (response.sop, response.opened_at, response.opened_by) == (sop, T0 + HOUR, "rule:pole-by-rule")
    steps = IncidentStep.objects.filter(incident=incident).order_by("number")
    assert [step.due_at - T0 - HOUR for step in steps] == [timedelta(minutes=m) for m in (5, 15, 30)]
    assert LogEntry.objects.get(incident=incident).by == "rule:pole-by-rule"

    evaluate_rule(rule, T0 + 2 * HOUR)  # the condition holds: the same alert, no second incident
    assert Alert.objects.filter(rule=rule).count() == 1
    assert IncidentResponse.objects.filter(incident__category=SOP_CATEGORY).count() == 1


def test_the_log_names_the_rule_that_opened_the_incident(sop, api):
    rule = threshold_rule("pole-named", "TEST-BR-2", opens_incident=True, incident_category=SOP_CATEGORY)
    station_with_readings("TEST-BR-2", DONG_TAM, [160, 170])
    evaluate_rule(rule, T0 + HOUR)
    incident = IncidentResponse.objects.get(alert_id=Alert.objects.get(rule=rule).pk).incident

    log = api("GET", f"incidents/{incident.pk}").json()["log"]
    assert [(entry["by"], entry["by_name"], entry["by_name_en"]) for entry in log] == [
        ("rule:pole-named", "Quy tắc cảnh báo: Cột điện quá tải", "Alert rule: Overloaded pole")]


def test_a_rule_that_does_not_say_so_opens_no_incident(sop):
    rule = threshold_rule("pole-watch-only", "TEST-BR-3", incident_category=SOP_CATEGORY)
    station_with_readings("TEST-BR-3", DONG_TAM, [160, 170])
    evaluate_rule(rule, T0 + HOUR)
    assert Alert.objects.filter(rule=rule).count() == 1
    opened = Alert.objects.filter(rule=rule).values("pk")
    assert not IncidentResponse.objects.filter(alert_id__in=opened).exists()


def test_an_incident_that_cannot_open_leaves_the_alert_open(sop, caplog):
    rule = threshold_rule("pole-outside", "TEST-BR-4", opens_incident=True, incident_category=SOP_CATEGORY)
    station_with_readings("TEST-BR-4", OUTSIDE, [160, 170])
    evaluate_rule(rule, T0 + HOUR)
    alert = Alert.objects.get(rule=rule)
    assert alert.status == "open"
    assert not IncidentResponse.objects.filter(alert_id=alert.pk).exists()
    assert f"{alert.code}: no incident opened by rule pole-outside" in caplog.text


def test_opening_incidents_needs_the_incident_category():
    rule = AlertRule(code="no-category", name="x", name_en="x", kind="threshold", layer="env_stations",
                     metric="aqi", threshold=1, opens_incident=True)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "incident_category" in refused.value.message_dict


def test_the_one_click_offers_the_rules_category_and_the_severity_of_the_cap_alert(sop, client, as_user):
    rule = threshold_rule("pole-offer", "TEST-BR-5", incident_category=SOP_CATEGORY)
    station_with_readings("TEST-BR-5", DONG_TAM, [160, 170])
    evaluate_rule(rule, T0 + HOUR)
    alert = Alert.objects.get(rule=rule)

    feature = client.get(f"/api/alerts/{alert.pk}", **as_user("vanhanh")).json()
    assert feature["properties"]["incident"] == {"category": SOP_CATEGORY, "severity": "high"}


def test_without_a_declared_category_the_offer_follows_the_cap_category(client, as_user):
    rule = threshold_rule("fire-offer", "TEST-BR-6", category="Fire", severity="Extreme")
    station_with_readings("TEST-BR-6", DONG_TAM, [160, 170])
    evaluate_rule(rule, T0 + HOUR)
    alert = Alert.objects.get(rule=rule)

    feature = client.get(f"/api/alerts/{alert.pk}", **as_user("vanhanh")).json()
    assert feature["properties"]["incident"] == {"category": "fire", "severity": "critical"}


def test_one_click_with_only_the_alert_takes_the_offer(sop, api):
    rule = threshold_rule("pole-click", "TEST-BR-7", incident_category=SOP_CATEGORY)
    station_with_readings("TEST-BR-7", DONG_TAM, [160, 170])
    evaluate_rule(rule, T0 + HOUR)
    alert = Alert.objects.get(rule=rule)

    answer = api("POST", "incidents", {"alert": alert.pk})
    assert answer.status_code == 201, answer.content
    incident = IncidentResponse.objects.get(alert_id=alert.pk).incident
    assert (incident.category, incident.severity, incident.title) == (SOP_CATEGORY, "high", alert.title)
    assert incident.geom.equals_exact(alert.geom, 1e-9)
