"""Fixtures of the hub's tests: the small province of hub_data, made once for the module (committed,
removed after it), with its successions declared from the shapes and its figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hub_data import AGENCY, LAT, LON, REFORM, STEP, TARGETS, UNITS, VALUES

CODES = sorted({key.split(":")[-1] for key in UNITS})


def _strip(x_from: int, x_to: int):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    west, east = LON + x_from * STEP, LON + x_to * STEP
    return MultiPolygon(
        Polygon(((west, LAT), (east, LAT), (east, LAT + STEP), (west, LAT + STEP), (west, LAT))), srid=4326
    )


def _remove() -> None:
    from indicators.models import IndicatorValue, Target, UnitSuccession
    from layers.models import AdminUnit, ResponsibleUnit

    test_units = AdminUnit.objects.filter(code__in=CODES)
    for model in (IndicatorValue, Target):
        model.objects.filter(area__in=test_units).delete()
        model.objects.filter(agency__code=AGENCY).delete()
    UnitSuccession.objects.filter(predecessor__in=test_units).delete()
    ResponsibleUnit.objects.filter(code=AGENCY).delete()
    for level in ("commune", "district", "province"):
        test_units.filter(level=level).delete()


def _make() -> dict:
    from indicators.models import AgencyPlacement, IndicatorValue, Target
    from indicators.succession import declare_by_area
    from layers.models import AdminUnit, ResponsibleUnit

    units: dict = {}
    for key, (name, level, parent, valid_from, valid_to, x_from, x_to) in UNITS.items():
        units[key] = AdminUnit.objects.create(
            code=key.split(":")[-1],
            name=name,
            level=level,
            unit_type="tinh" if level == "province" else "xa",
            parent=units[parent] if parent else None,
            valid_from=valid_from,
            valid_to=valid_to,
            geom=_strip(x_from, x_to),
        )
    agency = ResponsibleUnit.objects.create(code=AGENCY, name="Sở Tài chính (thử)", unit_kind="department")
    AgencyPlacement.objects.create(
        agency=agency, parent=units["old:T15"], valid_from=units["old:T15"].valid_from, valid_to=REFORM
    )
    AgencyPlacement.objects.create(agency=agency, parent=units["new:T15"], valid_from=REFORM)
    declare_by_area(REFORM, source="test", within=[unit.pk for unit in units.values()])

    def unit(key: str) -> dict:
        return {"agency": agency} if key == AGENCY else {"area": units[key]}

    moment = datetime(2026, 2, 1, tzinfo=UTC)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=code,
            period_kind=kind,
            period_start=start,
            value=value,
            reported_at=moment,
            status="approved" if n % 2 else "reported",
            source="test",
            **unit(key),
        )
        for code, rows in VALUES.items()
        for n, (key, kind, start, value) in enumerate(rows)
    )
    Target.objects.bulk_create(
        Target(indicator=code, period_kind=kind, period_start=start, value=value, **unit(key))
        for code, rows in TARGETS.items()
        for key, kind, start, value in rows
    )
    return units


@pytest.fixture(scope="module")
def hub_units(django_db_setup, django_db_blocker):
    """The test province's units by key of hub_data.UNITS (with its figures in the database)."""
    with django_db_blocker.unblock():
        _remove()
        units = _make()
        yield units
        _remove()


@pytest.fixture
def client(client, db):
    """The hub is read by signed-in viewers only (services.hub.access): these tests read as the demo
    leader; a test of what anonymous visitors get makes its own django.test.Client()."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="lanhdao"))
    return client
