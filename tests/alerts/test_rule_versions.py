"""Rules are declared data: an administrator writes them in Django's admin, every change is kept as a
version with who and when, an alert records the version that fired, and a rule naming what the
registry lacks is refused with the field named."""

from __future__ import annotations

import pytest
from alert_data import HOUR, T0
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from alerts.evaluate import evaluate_all
from alerts.models import Alert, AlertRule

pytestmark = pytest.mark.django_db


def test_each_change_is_a_version_with_who_and_when(aqi_rule):
    admin = get_user_model().objects.get(username="quantri")
    aqi_rule.threshold = 200
    aqi_rule.save(by=admin)
    aqi_rule.save(by=admin)  # nothing changed: no version
    versions = list(aqi_rule.versions.order_by("version").values_list("version", "changed_by", "data"))
    assert [(v, by) for v, by, _data in versions] == [(1, None), (2, admin.pk)]
    assert (versions[0][2]["threshold"], versions[1][2]["threshold"]) == (150, 200)
    assert (aqi_rule.version, aqi_rule.updated_by) == (2, admin)


def test_the_alert_records_the_rule_version_that_fired(aqi_rule, station, observe):
    aqi_rule.readings = 3
    aqi_rule.save()
    observe(station, [160, 170, 180])
    assert Alert.objects.get(pk__in=evaluate_all(T0 + 2 * HOUR).opened).rule_version == 2


@pytest.mark.parametrize(("fields", "named"), [
    ({"layer": "wells"}, "layer"),
    ({"metric": "pm10"}, "metric"),
    ({"threshold": None}, "threshold"),
    ({"filters": {"colour": "red"}}, "filters"),
    ({"filters": {"station_type": "lava"}}, "filters"),
])
def test_a_rule_naming_what_the_layer_lacks_is_refused(fields, named):
    rule = AlertRule(**{"code": "bad", "name": "x", "name_en": "x", "kind": "threshold",
                        "layer": "env_stations", "metric": "aqi", "threshold": 150, **fields})
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert named in refused.value.message_dict


def test_count_and_silence_rules_are_checked_too():
    count = AlertRule(code="c", name="x", name_en="x", kind="count", layer="env_stations", min_count=3,
                      radius_m=100)
    silence = AlertRule(code="s", name="x", name_en="x", kind="silence", layer="cameras",
                        source_layer="schools", silence_minutes=10)
    with pytest.raises(ValidationError) as not_events:
        count.full_clean()
    with pytest.raises(ValidationError) as no_link:
        silence.full_clean()
    assert "layer" in not_events.value.message_dict and "source_layer" in no_link.value.message_dict


def test_a_broken_rule_is_skipped_not_fatal(aqi_rule, station, observe):
    AlertRule.objects.filter(pk=aqi_rule.pk).update(metric="gone")
    assert evaluate_all(T0).skipped == ["aqi-test"]


def test_the_admin_saves_a_version_by_the_administrator(client, aqi_rule):
    admin = get_user_model().objects.get(username="quantri")
    client.force_login(admin)
    page = client.get(f"/admin/alerts/alertrule/{aqi_rule.pk}/change/")
    assert page.status_code == 200 and "Phiên bản" in page.content.decode()
    form = {key: value for key, value in aqi_rule.snapshot().items() if value is not None}
    form.update(threshold="175", filters='{"code": "TEST-AQ-1"}', public="on", active="on",
                **{"versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
                   "versions-MAX_NUM_FORMS": "1000", "versions-0-id": str(aqi_rule.versions.get().pk),
                   "versions-0-rule": str(aqi_rule.pk)})
    answer = client.post(f"/admin/alerts/alertrule/{aqi_rule.pk}/change/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    aqi_rule.refresh_from_db()
    assert (aqi_rule.threshold, aqi_rule.version, aqi_rule.updated_by) == (175, 2, admin)
