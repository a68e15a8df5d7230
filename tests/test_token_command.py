"""`ioc token` creates a token shown once, lists it, and revokes it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from spatial.models import ApiToken

pytestmark = pytest.mark.django_db


def test_create_list_and_revoke_a_token(capsys):
    call_command("token", "create", "gis", "--name", "qgis-laptop")
    key = capsys.readouterr().out.strip()
    prefix = key.split("_")[1]
    assert key.startswith("tc_") and ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).exists()
    call_command("token", "list", "gis")
    assert "qgis-laptop" in capsys.readouterr().out
    call_command("token", "revoke", prefix)
    assert ApiToken.objects.get(prefix=prefix).revoked_at is not None
    with pytest.raises(CommandError, match="no active token"):
        call_command("token", "revoke", prefix)
