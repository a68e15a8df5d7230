"""Fixtures of the directives tests: the demo's unit of the staff account, and another unit."""

from __future__ import annotations

import pytest
from directive_api import OTHER_UNIT, STAFF_UNIT
from jobs import committed, notify_settings, run_jobs  # noqa: F401  (fixtures)

from layers.models import ResponsibleUnit


@pytest.fixture
def unit_a() -> ResponsibleUnit:
    """The unit of the demo's unit staff account (xuly.namcuong)."""
    return ResponsibleUnit.objects.get(name=STAFF_UNIT)


@pytest.fixture
def unit_b() -> ResponsibleUnit:
    """Another ward's committee: nobody of unit A works there."""
    return ResponsibleUnit.objects.get(name=OTHER_UNIT)
