"""Likely duplicates: an open report of the same category within the category's radius (metres on
the ground) and time window before a new one. Closed reports, other categories, reports farther or
older, and the report itself are never proposed; the nearest comes first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point

from democity.models import DemoCity
from feedback.duplicates import likely_duplicates
from feedback.models import CategoryPolicy
from layers.models import CitizenReport

pytestmark = pytest.mark.django_db
LON, LAT = 104.9035, 21.689  # inside Đồng Tâm
METRE = 1 / 111_320  # degrees of latitude per metre


def report(code: str, *, north_m: float = 0, hours_before: float = 0, category: str = "environment",
           status: str = "received") -> CitizenReport:
    received = DemoCity.current().window().end - timedelta(hours=hours_before)
    return CitizenReport.objects.create(
        code=code, category=category, channel="app", status=status, title=f"Rác thải {code}",
        received_at=received, due_at=received + timedelta(days=7),
        geom=Point(LON, LAT + north_m * METRE, srid=4326))


@pytest.fixture(autouse=True)
def policy():
    here = Point(LON, LAT, srid=4326)
    nearby = CitizenReport.objects.filter(category="environment", geom__dwithin=(here, 0.01))
    nearby.delete()  # the demo's own reports around the test's point
    CategoryPolicy.objects.update_or_create(category="environment",
                                            defaults={"duplicate_radius_m": 50, "duplicate_hours": 72})


def test_two_reports_twenty_metres_apart_the_same_day_are_flagged():
    first = report("DUP-1", hours_before=5)
    second = report("DUP-2", north_m=20)
    assert list(likely_duplicates(second)) == [first]


def test_the_nearest_open_report_comes_first_and_nothing_outside_the_rules_is_proposed():
    near = report("DUP-NEAR", north_m=10, hours_before=1)
    far = report("DUP-FAR", north_m=45, hours_before=1)
    report("DUP-OUT", north_m=60, hours_before=1)  # beyond 50 m
    report("DUP-OLD", north_m=5, hours_before=80)  # before the 72 h window
    report("DUP-CLOSED", north_m=5, hours_before=1, status="resolved")
    report("DUP-OTHER", north_m=5, hours_before=1, category="public_order")
    new = report("DUP-NEW")
    assert list(likely_duplicates(new)) == [near, far]


def test_a_category_with_no_radius_has_no_duplicates():
    CategoryPolicy.objects.filter(category="environment").update(duplicate_radius_m=0)
    report("DUP-A", hours_before=1)
    assert list(likely_duplicates(report("DUP-B"))) == []


def test_two_reports_20_m_apart_are_flagged_merged_and_both_reporters_hear_the_answer(settings):
    from django.contrib.auth import get_user_model

    from feedback.duplicates import merge
    from layers.models import CitizenReporter, ResponsibleUnit
    from notify.models import Event

    settings.EMAIL_HOST = "127.0.0.1"  # e-mail is queued only when a relay is set
    operator = get_user_model().objects.get(username="vanhanh")
    first = report("DUP-FIRST", hours_before=3)
    second = report("DUP-SECOND", north_m=20)
    assert second.likely_duplicate_of == first  # flagged when it came in
    for made, address in ((first, "an@example.vn"), (second, "binh@example.vn")):
        CitizenReporter.objects.create(report=made, full_name="X", email=address)

    merge(second, into=first, by=operator)
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == ("rejected", first)

    first.assign(unit=ResponsibleUnit.objects.filter(active=True).first(), by=operator)
    first.start(by=operator)
    first.resolve(response="Đã xử lý điểm rác.", by=operator)
    first.save()
    resolved = Event.objects.get(type="feedback.report.resolved", payload__code="DUP-FIRST")
    assert sorted(d.target for d in resolved.deliveries.filter(channel="email")) == ["an@example.vn",
                                                                                     "binh@example.vn"]
