"""Recording a value: refused with the field named when the period kind, the unit's level or dates, or
the range are wrong; a recorded value replaces the unit's value of the period and counts at once; the
database refuses a period that does not start its kind."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from indicators.errors import ValueRefused
from indicators.models import IndicatorValue
from indicators.org_units import resolve
from indicators.periods import Period
from indicators.recording import record
from indicators.registry import registry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("indicator", "code", "period", "value", "en"),
    [
        (
            "new_businesses",
            "T101",
            Period("quarter", date(2025, 7, 1)),
            3,
            "period: new_businesses is reported by month, not by quarter",
        ),
        (
            "sipas",
            "T132",
            Period("year", date(2024, 1, 1)),
            80,
            "unit: sipas does not apply to the level district",
        ),
        (
            "new_businesses",
            "T001",
            Period("month", date(2025, 7, 1)),
            3,
            "unit: T001 is not in force on 2025-07-31, the last day of 2025-07",
        ),
        (
            "sipas",
            "T101",
            Period("year", date(2025, 1, 1)),
            101,
            "value: 101 is outside sipas's valid range [0, 100]",
        ),
        (
            "budget_revenue",
            "T101",
            Period("quarter", date(2025, 7, 1)),
            -5,
            "value: -5 is outside budget_revenue's valid range [0, ]",
        ),
        (
            "staff_headcount",
            "TSTC",
            Period("month", date(2019, 12, 1)),
            40,
            "unit: TSTC is not in force on 2019-12-31",
        ),
    ],
    ids=["kind", "level", "ended", "above", "below", "agency-not-placed"],
)
def test_a_wrong_value_is_refused_naming_the_field(hub_units, indicator, code, period, value, en):
    unit = resolve(code, period.end)
    with pytest.raises(ValueRefused) as refused:
        record(registry.get(indicator), unit, period, value)
    assert refused.value.message("en").startswith(en)
    assert refused.value.message("vi").split(":")[0] == en.split(":")[0]


def test_a_recorded_value_replaces_the_last_and_counts(hub_units, client):
    unit = resolve("T101", date(2025, 8, 1))
    record(registry.get("new_businesses"), unit, Period("month", date(2025, 7, 1)), 9, source="test")
    assert IndicatorValue.objects.filter(indicator="new_businesses", area_id=unit.id).count() == 2
    [row] = client.get(
        "/api/hub/values", {"indicator": "new_businesses", "unit": "T15", "from": "2025-07"}
    ).json()["rows"]
    assert row["actual"] == 12  # N1 9 (was 7) + N2 3


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        ("month", date(2025, 7, 2)),
        ("quarter", date(2025, 2, 1)),
        ("year", date(2025, 7, 1)),
        ("week", date(2025, 7, 1)),
    ],
)
def test_the_database_refuses_a_period_that_does_not_start_its_kind(hub_units, kind, start):
    unit = hub_units["T101"]
    with pytest.raises(IntegrityError, match="indicator_value_period_start"), transaction.atomic():
        IndicatorValue.objects.create(
            indicator="new_businesses",
            area=unit,
            period_kind=kind,
            period_start=start,
            value=1,
            reported_at="2025-08-01T00:00:00+07:00",
        )
