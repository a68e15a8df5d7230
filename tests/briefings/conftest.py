"""Fixtures of the briefings' tests: the small province of briefing_data, committed once for the session's
module (the queue's worker and the threads of `committed` read it on their own connections) and removed
after it; the outbox's fixtures of tests/jobs.py."""

from __future__ import annotations

import pytest
from briefing_data import (
    DIRECTIVES,
    INCIDENTS,
    LAT,
    LON,
    NEW_BUSINESSES,
    NOW,
    REPORTS,
    RESPONSIBLE,
    STEP,
    SUBSCRIBER,
    UNITS,
    VALID_FROM,
    YEAR_PLAN,
    inside,
)
from jobs import committed, notify_settings, run_jobs  # noqa: F401  (fixtures)


def _strip(x_from: int, x_to: int):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    west, east = LON + x_from * STEP, LON + x_to * STEP
    return MultiPolygon(Polygon(((west, LAT), (east, LAT), (east, LAT + STEP), (west, LAT + STEP),
                                 (west, LAT))), srid=4326)


def _remove() -> None:
    from django.contrib.auth import get_user_model

    from briefings.models import Subscription
    from directives.models import Directive
    from indicators.models import IndicatorValue, Target
    from layers.models import AdminUnit, CitizenReport, Incident, ResponsibleUnit

    Subscription.objects.filter(area_code__in=[*UNITS, "B99"]).delete()
    get_user_model().objects.filter(username=SUBSCRIBER).delete()
    CitizenReport.objects.filter(code__startswith="BR-").delete()
    Directive.objects.filter(code__startswith="BC-").delete()
    Incident.objects.filter(code__startswith="BI-").delete()
    areas = AdminUnit.objects.filter(code__in=UNITS)
    IndicatorValue.objects.filter(area__in=areas).delete()
    Target.objects.filter(area__in=areas).delete()
    ResponsibleUnit.objects.filter(code=RESPONSIBLE).delete()
    for level in ("commune", "province"):
        areas.filter(level=level).delete()


def _make() -> dict:
    from django.contrib.gis.geos import Point

    from directives.models import Directive
    from indicators.models import IndicatorValue, Target
    from layers.models import AdminUnit, CitizenReport, Incident, ResponsibleUnit

    units: dict = {}
    for code, (name, level, parent, x_from, x_to) in UNITS.items():
        units[code] = AdminUnit.objects.create(
            code=code, name=name, level=level, unit_type="tinh" if level == "province" else "xa",
            parent=units[parent] if parent else None, valid_from=VALID_FROM, geom=_strip(x_from, x_to))
    unit = ResponsibleUnit.objects.create(code=RESPONSIBLE, name="UBND thử nghiệm", unit_kind="commune")
    for n, (code, ward, received, due, resolved, status) in enumerate(REPORTS):
        CitizenReport.objects.create(
            code=code, category="environment", channel="app", status=status, unit=unit, title=f"Rác {code}",
            received_at=received, due_at=due, resolved_at=resolved, ward=units[ward],
            geom=Point(*inside(ward, n), srid=4326))
    for n, (code, ward, issued, due, done, status) in enumerate(DIRECTIVES):
        Directive.objects.create(
            code=code, batch=code, unit=unit, title=f"Khơi thông cống {code}", text="Khẩn trương xử lý",
            status=status, issued_at=issued, due_at=due, done_at=done, ward=units[ward],
            geom=Point(*inside(ward, n + 10), srid=4326))
    for n, (code, ward, reported, severity) in enumerate(INCIDENTS):
        Incident.objects.create(
            code=code, category="flood", severity=severity, title=f"Ngập úng {code}", reported_at=reported,
            ward=units[ward], geom=Point(*inside(ward, n + 5), srid=4326))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator="new_businesses", area=units[ward], period_kind="month", period_start=start,
                       value=value, status="approved", source="test", reported_at=NOW)
        for ward, start, value in NEW_BUSINESSES)
    code, start, value = YEAR_PLAN
    Target.objects.create(indicator="new_businesses", area=units[code], period_kind="year",
                          period_start=start, value=value)
    return units


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """The test province's units by code (with their events and figures in the database)."""
    with django_db_blocker.unblock():
        _remove()
        units = _make()
        yield units
        _remove()
