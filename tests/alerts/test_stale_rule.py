"""Stale-layer rules: a layer late for its declared cadence ("Sống": layers.freshness) opens one alert
naming it; an import that confirms the layer clears it; a layer without a cadence cannot be watched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from alerts.evaluate import evaluate_all
from alerts.models import Alert
from etl.report import Report
from layers.freshness import freshness
from layers.registry import registry

pytestmark = pytest.mark.django_db


def test_a_late_layer_opens_one_alert_and_a_confirming_import_clears_it(rule):
    stale = rule("schools-late", "stale", "schools", severity="Minor", category="Infra",
                 name="Dữ liệu trường học trễ hạn", name_en="School data late", cooldown_minutes=0)
    schools = registry.get("schools")
    late = freshness(schools).due_by + timedelta(hours=1)
    assert evaluate_all(freshness(schools).due_by).opened == []

    (alert,) = Alert.objects.filter(pk__in=evaluate_all(late).opened)
    assert (alert.rule, alert.subject, alert.status) == (stale, "layer:schools", "open")
    assert alert.title == f"Dữ liệu trường học trễ hạn: tại {schools.title_vi}"
    assert alert.value > 0 and alert.ward_id is not None
    assert evaluate_all(late + timedelta(minutes=1)).opened == []  # still late: the same alert

    Report(layer="schools", source="truong_hoc.gpkg", mode="upsert", started_at=late + timedelta(minutes=2),
           status="loaded").store()
    outcome = evaluate_all(late + timedelta(minutes=3))
    assert outcome.cleared == [alert.pk]


def test_a_layer_without_a_cadence_cannot_be_watched(rule):
    with pytest.raises(ValidationError) as refused:
        rule("wards-late", "stale", "wards")
    assert "cadence" in refused.value.message_dict["layer"][0]
