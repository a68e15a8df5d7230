"""Detections live in monthly partitions: created ahead of writes, dropped whole for retention."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from layers.models import Camera, Detection
from layers.partitions import drop_partitions_before, ensure_partitions, held

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_detections_table_is_range_partitioned_by_month():
    with connection.cursor() as cursor:
        cursor.execute("SELECT partstrat FROM pg_partitioned_table "
                       "WHERE partrelid = 'layers_detection'::regclass")
        assert cursor.fetchone() == ("r",)
    assert len(held()) >= 3  # the demo's 90 days span at least three months


def test_partitions_follow_local_months():
    created = ensure_partitions(datetime(2020, 1, 31, 23, 30, tzinfo=VN), datetime(2020, 3, 1, tzinfo=VN))
    assert created == ["layers_detection_y2020m01", "layers_detection_y2020m02",
                       "layers_detection_y2020m03"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
                       "WHERE relname = 'layers_detection_y2020m02'")
        bound = cursor.fetchone()[0]
    assert bound == "FOR VALUES FROM ('2020-01-31 17:00:00+00') TO ('2020-02-29 17:00:00+00')"


def test_retention_drops_whole_old_partitions_and_keeps_the_rest():
    ensure_partitions(datetime(2019, 5, 1, tzinfo=VN), datetime(2019, 6, 30, tzinfo=VN))
    camera = Camera.objects.first()
    Detection.objects.create(camera=camera, object_class="car", confidence=0.9,
                             observed_at=datetime(2019, 5, 10, tzinfo=VN), geom=camera.geom)
    recent = Detection.objects.count()
    dropped = drop_partitions_before(datetime(2019, 6, 1, tzinfo=VN))
    assert dropped == ["layers_detection_y2019m05"]
    assert "layers_detection_y2019m06" in held()
    assert Detection.objects.count() == recent - 1


def test_each_partition_has_time_space_and_camera_indexes():
    """A camera's detections by time are found by the unique (camera, time, track) key."""
    name = sorted(held())[-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [name])
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "USING brin (observed_at)" in definitions
    assert "USING gist (geom)" in definitions
    assert "UNIQUE INDEX" in definitions and "(camera_id, observed_at, track_id)" in definitions
