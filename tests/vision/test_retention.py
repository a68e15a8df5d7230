"""Retention: old detections go by whole monthly partitions (no row deletes), old evidence files by age."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from layers.partitions import ensure_partitions, partition_name
from vision import evidence
from vision.tasks import purge

pytestmark = pytest.mark.django_db


def _partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = 'layers_detection'::regclass")
        return {row[0] for row in cursor.fetchall()}


def test_purge_drops_partitions_past_retention_and_keeps_recent_ones(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = datetime.now(UTC) - timedelta(days=settings.VISION.detection_days + 62)
    ensure_partitions(old, old)
    recent = datetime.now(UTC)
    ensure_partitions(recent, recent)
    purge(int(time.time()))
    names = _partitions()
    assert partition_name(old.replace(day=15)) not in names
    assert any(name.endswith(f"y{recent.year:04d}m{recent.month:02d}") for name in names)


def test_evidence_older_than_retention_is_deleted(tmp_path):
    folder = tmp_path / evidence.SUBDIR / "camera-1"
    folder.mkdir(parents=True)
    stale, fresh = folder / "track-1.jpg", folder / "track-2.jpg"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    month_ago = time.time() - 31 * 86400
    os.utime(stale, (month_ago, month_ago))
    assert evidence.purge(tmp_path, days=30) == 1
    assert not stale.exists() and fresh.exists()
