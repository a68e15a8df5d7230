"""Upgrading a platform whose incidents and reports kept no history: migration layers 0006 gives
each existing row its creation entry, equal to what the history triggers write."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from layers.history import feature_history
from layers.models import Incident
from layers.registry import registry

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("layers.migrations.0006_backfill_event_history")


def test_a_row_without_history_gets_its_creation_entry_as_the_trigger_writes_it():
    incident = Incident.objects.order_by("pk").first()
    written_by_trigger = feature_history(registry.get("incidents"), incident.pk).get(operation="I")
    feature_history(registry.get("incidents"), incident.pk).delete()  # as before the upgrade
    with connection.cursor() as cursor:
        for table in backfill.TABLES:
            cursor.execute(backfill.BACKFILL.format(table=table))
            cursor.execute(backfill.BACKFILL.format(table=table))  # a second run adds nothing
    entries = list(feature_history(registry.get("incidents"), incident.pk))
    assert [(e.operation, e.actor) for e in entries] == [("I", "migration")]
    assert entries[0].after == written_by_trigger.after
    assert entries[0].after_geom.equals_exact(written_by_trigger.after_geom, 0)
