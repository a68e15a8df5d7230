"""Who is e-mailed: subscriptions by role, unit or user, narrowed by kind, category, ward and minimum
severity; in quiet hours (Asia/Ho_Chi_Minh, across midnight) alerts below the subscription's level wait
for no one and are not e-mailed; clearings only to those who asked."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from alerts.models import Alert, Subscription
from alerts.subscriptions import in_quiet_hours, recipients
from layers.models import AdminUnit, ResponsibleUnit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2031, 3, 3, hour, minute, tzinfo=VN)


@pytest.fixture
def alert(aqi_rule, station) -> Alert:
    ward = AdminUnit.objects.filter(level="commune", valid_to__isnull=True).order_by("code").first()
    return Alert(code="CB-S", rule=aqi_rule, rule_version=1, kind="threshold", subject="s", title="t",
                 title_en="t", severity="Moderate", urgency="Expected", certainty="Observed", category="Env",
                 opened_at=at(23), source_layer="env_stations", geom=station.geom, ward=ward)


@pytest.fixture
def people():
    users = get_user_model().objects
    users.filter(username="vanhanh").update(email="vanhanh@example.vn")
    return users.create_user("truc.ban", email="trucban@example.vn")


def test_quiet_hours_wrap_midnight_in_local_time():
    night = Subscription(quiet_from=time(22), quiet_to=time(6))
    day = Subscription(quiet_from=time(12), quiet_to=time(13, 30))
    assert [in_quiet_hours(night, at(h)) for h in (21, 22, 3, 6)] == [False, True, True, False]
    assert [in_quiet_hours(day, at(h, 15)) for h in (11, 12, 13, 14)] == [False, True, True, False]
    assert in_quiet_hours(Subscription(), at(3)) is False
    assert in_quiet_hours(night, datetime(2031, 3, 3, 16, 0, tzinfo=ZoneInfo("UTC"))) is True  # 23:00 local


def test_a_role_unit_or_user_subscription_names_its_addresses(alert, people):
    unit = ResponsibleUnit.objects.create(code="SUB-U", name="Phòng TNMT", unit_kind="department",
                                          email="tnmt@example.vn")
    Subscription.objects.create(name="operators", role="operator")
    Subscription.objects.create(name="unit", unit=unit)
    Subscription.objects.create(name="one", user=people)
    assert recipients(alert, at(9)) == ["tnmt@example.vn", "trucban@example.vn", "vanhanh@example.vn"]


def test_kind_category_ward_and_severity_narrow_a_subscription(alert, people):
    other_ward = AdminUnit.objects.filter(level="commune").exclude(pk=alert.ward_id).first()
    wanted = Subscription.objects.create(name="env", user=people, kinds=["threshold"], categories=["Env"])
    wanted.wards.add(alert.ward)
    assert recipients(alert, at(9)) == ["trucban@example.vn"]
    for change in ({"kinds": ["count"]}, {"categories": ["Fire"]}, {"min_severity": "Severe"}):
        Subscription.objects.filter(pk=wanted.pk).update(**change)
        assert recipients(alert, at(9)) == [], change
        Subscription.objects.filter(pk=wanted.pk).update(kinds=["threshold"], categories=["Env"],
                                                          min_severity="Minor")
    wanted.wards.set([other_ward])
    assert recipients(alert, at(9)) == []


def test_quiet_hours_hold_back_low_severity_only(alert, people):
    Subscription.objects.create(name="night", user=people, quiet_from=time(22), quiet_to=time(6),
                                quiet_below="Severe")
    assert recipients(alert, at(23)) == []  # Moderate, at night
    assert recipients(alert, at(9)) == ["trucban@example.vn"]
    alert.severity = "Severe"
    assert recipients(alert, at(23)) == ["trucban@example.vn"]


def test_clearings_go_to_those_who_asked(alert, people):
    Subscription.objects.create(name="open only", user=people, on_clear=False)
    assert recipients(alert, at(9), clearing=True) == []
    assert recipients(alert, at(9)) == ["trucban@example.vn"]
