"""Retention: old detections go by whole monthly partitions (no row deletes), old evidence files by age."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from layers.partitions import ensure_partitions, held, partition_name
from spatial.params import LOCAL_TZ
from vision import evidence
from vision.tasks import purge

pytestmark = pytest.mark.django_db


def month_partition(moment: datetime) -> str:
    """The partition holding `moment`: months are local ones (a UTC month starts 7 hours late)."""
    return partition_name(moment.astimezone(LOCAL_TZ))


def test_purge_drops_partitions_past_retention_and_keeps_recent_ones(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = datetime.now(UTC) - timedelta(days=settings.VISION.detection_days + 62)
    ensure_partitions(old, old)
    recent = datetime.now(UTC)
    ensure_partitions(recent, recent)
    purge(int(time.time()))
    names = held()
    assert month_partition(old) not in names
    assert month_partition(recent) in names


def test_evidence_older_than_retention_is_deleted(tmp_path):
    folder = tmp_path / evidence.SUBDIR / "camera-1"
    folder.mkdir(parents=True)
    stale, fresh = folder / "track-1.jpg", folder / "track-2.jpg"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    now = time.time()  # one clock for the files' times and the purge: the file system's may differ
    os.utime(stale, (now - 31 * 86400, now - 31 * 86400))
    os.utime(fresh, (now, now))
    assert evidence.purge(tmp_path, days=30, now=now) == 1
    assert not stale.exists() and fresh.exists()
