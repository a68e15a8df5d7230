"""Fixtures for the services tests: a committed API token for the demo operator."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def operator_token(django_db_setup, django_db_blocker) -> str:
    """A token of the demo operator (vanhanh), committed so the server sees it."""
    from django.contrib.auth.models import User

    from spatial.auth import issue_token

    with django_db_blocker.unblock():
        return issue_token(User.objects.get(username="vanhanh"), "tests")
