"""Dedupe and cool-down: while the condition holds there is one alert per rule and subject, however often
it is evaluated; after it clears, the same subject does not open again before the rule's cool-down."""

from __future__ import annotations

import pytest
from alert_data import HOUR, MINUTE, T0
from django.db import IntegrityError, transaction

from alerts.evaluate import evaluate_all
from alerts.models import Alert

pytestmark = pytest.mark.django_db


def test_repeated_evaluations_keep_one_alert(aqi_rule, station, observe):
    observe(station, [160, 170])
    for minutes in range(0, 50, 5):
        evaluate_all(T0 + HOUR + minutes * MINUTE)
    assert Alert.objects.count() == 1


def test_the_database_refuses_a_second_active_alert_for_a_subject(aqi_rule, station, observe):
    observe(station, [160, 170])
    alert = Alert.objects.get(pk__in=evaluate_all(T0 + HOUR).opened)
    alert.pk, alert.code = None, "CB-COPY"
    with pytest.raises(IntegrityError), transaction.atomic():
        alert.save()


def test_a_subject_does_not_reopen_within_the_cool_down(aqi_rule, station, observe):
    aqi_rule.cooldown_minutes = 90
    aqi_rule.save()
    observe(station, [160, 170, 100, 180, 190, 200], step=30 * MINUTE)  # back under at +60 min
    evaluate_all(T0 + 30 * MINUTE)
    cleared = evaluate_all(T0 + 60 * MINUTE).cleared
    assert evaluate_all(T0 + 120 * MINUTE).opened == []  # over again, 60 min after clearing
    reopened = evaluate_all(T0 + 150 * MINUTE).opened  # the cool-down has passed
    assert len(cleared) == 1 and len(reopened) == 1 and reopened != cleared
    assert Alert.objects.get(pk__in=reopened).rule_version == 2
