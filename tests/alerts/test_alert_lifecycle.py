"""Acceptance (#19, alerts): with an injected clock, AQI readings go over 150 and back. Exactly one alert
opens, its CAP document validates against the OASIS schema, the subscribers hear of it once through the
real channels (aiosmtpd, a webhook receiver checking the signature, an MQTT subscriber) via the queue's
worker, and it clears when the readings fall back, told once again. A station that stops reporting
raises "no data". Everything is committed, as the platform does it, and removed afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alert_data import HOUR, MINUTE, PLACE, T0
from django.contrib.gis.geos import Point
from lxml import etree
from receivers import wait_for

from alerts.cap import cap_xml
from alerts.evaluate import evaluate_all

XSD = Path(__file__).with_name("CAP-v1.2.xsd")
KEEP_DEMO = True  # this test commits: it sets the demo's rules aside itself (and back)
READINGS = [120, 160, 175, 180, 130]  # hourly from T0: over from +1 h, two over at +2 h, back at +4 h


def _setup(receiver_url: str) -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from alerts.models import AlertRule, Subscription
    from layers.models import EnvStation, Observation
    from notify.models import WebhookEndpoint

    station = EnvStation.objects.create(code="ACCEPT-AQ", name="Trạm nghiệm thu", station_type="air",
                                        geom=Point(*PLACE, srid=4326))
    Observation.objects.bulk_create(
        Observation(layer="env_stations", feature_id=station.pk, metric="aqi", period="hour",
                    observed_at=T0 + n * HOUR, value=value) for n, value in enumerate(READINGS))
    common = {"layer": "env_stations", "metric": "aqi", "filters": {"code": "ACCEPT-AQ"}, "category": "Env"}
    rules = [AlertRule(code="accept-aqi", name="AQI vượt 150 trong 2 giờ",
                       name_en="AQI above 150 for 2 hours", kind="threshold", comparison="gt", threshold=150,
                       readings=2, window_minutes=180,
                       severity="Severe", urgency="Immediate", public=True, **common),
             AlertRule(code="accept-silent", name="Trạm mất dữ liệu", name_en="Station without data",
                       kind="silence", silence_minutes=120, severity="Minor", **common)]
    for rule in rules:
        rule.full_clean()
        rule.save()
    others = list(AlertRule.objects.filter(active=True).exclude(pk__in=[r.pk for r in rules])
                  .values_list("pk", flat=True))
    AlertRule.objects.filter(pk__in=others).update(active=False)  # the demo's rules, back after the test
    user = get_user_model().objects.create_user("accept.trucban", email="trucban@example.vn")
    Subscription.objects.create(name="Trực ban môi trường", user=user, categories=["Env"],
                                min_severity="Severe")
    endpoint = WebhookEndpoint.objects.create(name="accept-alerts", url=receiver_url,
                                              event_types=["alerts.*"], secret="accept-secret")
    return {"station": station.pk, "user": user.pk, "endpoint": endpoint.pk, "rules": [r.pk for r in rules],
            "others": others}


def _cleanup(made: dict) -> None:
    from django.contrib.auth import get_user_model

    from alerts.models import Alert, AlertRule, Subscription
    from layers.models import EnvStation, Observation

    AlertRule.objects.filter(pk__in=made["others"]).update(active=True)
    Alert.objects.filter(rule_id__in=made["rules"]).delete()
    AlertRule.objects.filter(pk__in=made["rules"]).delete()
    Subscription.objects.filter(user_id=made["user"]).delete()
    get_user_model().objects.filter(pk=made["user"]).delete()
    Observation.objects.filter(layer="env_stations", feature_id=made["station"]).delete()
    EnvStation.objects.filter(pk=made["station"]).delete()


def _cap_of(alert_id: int) -> bytes:
    from alerts.models import Alert

    return cap_xml(Alert.objects.select_related("rule", "ward").get(pk=alert_id), "http://ioc.example")


@pytest.mark.django_db(transaction=False)
def test_an_aqi_episode_opens_one_alert_heard_once_that_clears_and_silence_raises_no_data(
        committed, run_jobs, notify_settings, smtp_server, receiver, subscriber, mqtt_url):
    from alerts.models import Alert
    from notify.models import Delivery
    from notify.signatures import verify

    notify_settings(mailbox=smtp_server, mqtt_url=mqtt_url)
    heard = subscriber("ioc/alerts/#")
    made = committed(_setup, receiver.url)
    try:
        outcomes = [committed(evaluate_all, T0 + n * HOUR) for n in range(5)]
        [opened] = outcomes[2].opened
        assert [len(o.opened) for o in outcomes] == [0, 0, 1, 0, 0]  # one alert, however often evaluated
        assert outcomes[3].refreshed == [opened] and outcomes[4].cleared == [opened]
        alert = Alert.objects.get(pk=opened)
        assert (alert.status, alert.opened_at, alert.cleared_at) == ("cleared", T0 + 2 * HOUR, T0 + 4 * HOUR)

        document = etree.fromstring(committed(_cap_of, opened))
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)

        delivered = Delivery.objects.filter(event__type__startswith="alerts.alert.",
                                            event__payload__id=opened, status="delivered")
        run_jobs(until=lambda: delivered.count() == 6)  # opened and cleared: e-mail, webhook, MQTT each

        def mqtt_messages() -> list:
            return [m for m in heard.messages if json.loads(m.payload)["data"]["id"] == opened]

        wait_for(lambda: len(mqtt_messages()) == 2, 5, "two MQTT messages")
        posts = [r for r in receiver.requests if r.json()["data"]["id"] == opened]
        assert [r.json()["type"] for r in posts] == ["alerts.alert.opened", "alerts.alert.cleared"]
        assert all(verify("accept-secret", r.headers["X-Ioc-Timestamp"], r.body, r.headers["X-Ioc-Signature"])
                   for r in posts)
        assert sorted(m.topic for m in mqtt_messages()) == [
            "ioc/alerts/alert/cleared", "ioc/alerts/alert/opened"]
        mails = smtp_server.messages
        assert [to for to, _message in mails] == [["trucban@example.vn"], ["trucban@example.vn"]]
        assert "Severe alert" in mails[0][1]["Subject"] and "Alert cleared" in mails[1][1]["Subject"]
        body = mails[0][1].get_body(("plain",)).get_content()
        assert body.index("Cảnh báo " + alert.code) < body.index("Alert " + alert.code)  # Vietnamese first

        silent = committed(evaluate_all, T0 + 6 * HOUR + MINUTE)  # the last reading at +4 h: 2 h 1 min ago
        [no_data] = silent.opened
        assert Alert.objects.get(pk=no_data).kind == "silence"
    finally:
        committed(_cleanup, made)
