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
