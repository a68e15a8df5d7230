"""Zone rules: each camera zone event (an intrusion incident vision opened) of the window is an alert of its
own, cleared when the event ages out of the window or is no longer open."""

from __future__ import annotations

import pytest
from alert_data import MINUTE, PLACE, T0, incident

from alerts.evaluate import evaluate_all
from alerts.models import Alert
from layers.models import Incident

pytestmark = pytest.mark.django_db


def test_each_open_intrusion_of_the_window_is_an_alert(rule):
    rule("zone-test", "zone", "incidents", window_minutes=30, severity="Severe", category="Security",
         filters={"category": "intrusion", "source": "camera_ai", "status": ["new", "dispatched"]},
         name="Xâm nhập vùng cấm", name_en="Restricted-zone intrusion")
    first = incident("AI-1", T0, *PLACE, category="intrusion", source="camera_ai", title="Xâm nhập kho")
    incident("AI-2", T0, *PLACE, category="intrusion", source="patrol")
    opened = evaluate_all(T0 + MINUTE).opened
    alert = Alert.objects.get(pk__in=opened)
    assert (alert.subject, alert.source_ids, alert.title) == (
        f"event:{first.pk}", [first.pk], "Xâm nhập vùng cấm: tại Xâm nhập kho")
    Incident.objects.filter(pk=first.pk).update(status="resolved")
    assert evaluate_all(T0 + 2 * MINUTE).cleared == [alert.pk]
