"""A camera's writer creates the partition of the month after its rows' too, so that its first row of
a month never has to create one while an archive import holds the detections' partitioning (its
CREATE would queue behind the import, and every reader behind it)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from layers.partitions import held
from vision.writer import DetectionWriter

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_rows_month_and_the_next_one_are_there_before_the_first_row_is_stored(database_url):
    writer = DetectionWriter(database_url)
    try:
        writer.ensure_partitions([(1, datetime(2017, 12, 31, 23, 59, tzinfo=VN))])
    finally:
        writer.close()
    assert {"layers_detection_y2017m12", "layers_detection_y2018m01"} <= held()
    assert "layers_detection_y2018m02" not in held()
