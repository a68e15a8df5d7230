"""Suite-wide fixtures: a real PostGIS test database holding the demo city, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Create the test database by migrations, then load the demo city through the importers."""
    with django_db_blocker.unblock():
        call_command("load_demo", dir=tmp_path_factory.mktemp("demo"), verbosity=0)
        call_command("setup_roles", demo=True, verbosity=0)


@pytest.fixture
def data_dir() -> Path:
    """Small checked-in files used by the tests (tests/data)."""
    return DATA
