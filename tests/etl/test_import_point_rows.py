"""A point table loads the same rows whatever path the engine takes to go fast: wards from location
on each row's own day (across the 2025 reform), declared wards checked, codes resolved, bad rows
refused by name, the rest written exactly as read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from django.db.models import Max

from etl.importer import ImportOptions, import_file
from layers.models import AdminUnit, Camera, Detection

pytestmark = pytest.mark.django_db
REFORM = date(2025, 7, 1)


def test_a_detection_table_loads_the_same_rows_and_refuses_the_same_ones(tmp_path, ward):
    camera = Camera.objects.order_by("code").first()
    new_ward = AdminUnit.objects.communes().valid_on(REFORM).get(name="Yên Bái")
    other = AdminUnit.objects.communes().valid_on(date(2026, 1, 5)).exclude(pk=new_ward.pk).order_by("code")
    other = other[0]
    point = ward.geom.point_on_surface
    x, y = round(point.x, 6), round(point.y, 6)
    path = tmp_path / "detections.csv"
    path.write_text(
        "camera_code,object_class,confidence,observed_at,ward_code,lon,lat\n"
        f"{camera.code},car,0.91,2025-06-30T23:30:00+07:00,,{x},{y}\n"  # the old ward's last day
        f"{camera.code},motorbike,0.5,2025-06-30T17:30:00Z,,{x},{y}\n"  # 00:30 on 1 July: the new ward
        f"{camera.code},truck,0.7,2025-06-30 10:00:00,{ward.code},{x},{y}\n"  # local time, ward given
        f"{camera.code},car,0.8,2026-01-05T08:00:00+07:00,,105.8542,21.0285\n"  # in no commune: no ward
        f"CAM-NONE,car,0.8,2026-01-05T08:00:00+07:00,,{x},{y}\n"
        f"{camera.code},car,0.8,2026-01-05T08:00:00+07:00,{other.code},{x},{y}\n"
        f"{camera.code},car,0.8,2026-01-05T08:00:00+07:00,,abc,{y}\n"
        f"{camera.code},car,1.5,2026-01-05T08:00:00+07:00,,{x},{y}\n",
        encoding="utf-8")
    refused = tmp_path / "refused.csv"
    before = Detection.objects.aggregate(Max("id"))["id__max"] or 0
    report = import_file(path, ImportOptions(layer="detections", load_valid=True, refused_path=refused))

    assert report.counts["inserted"] == report.rows_loaded == 4
    loaded = Detection.objects.filter(id__gt=before).order_by("observed_at")
    rows = list(loaded.values_list("camera_id", "object_class", "confidence", "observed_at", "ward_id"))
    assert rows == [
        (camera.pk, "truck", 0.7, datetime(2025, 6, 30, 3, 0, tzinfo=UTC), ward.pk),
        (camera.pk, "car", 0.91, datetime(2025, 6, 30, 16, 30, tzinfo=UTC), ward.pk),
        (camera.pk, "motorbike", 0.5, datetime(2025, 6, 30, 17, 30, tzinfo=UTC), new_ward.pk),
        (camera.pk, "car", 0.8, datetime(2026, 1, 5, 1, 0, tzinfo=UTC), None),
    ]
    assert [(round(g.x, 6), round(g.y, 6)) for g in loaded.values_list("geom", flat=True)] \
        == [(x, y)] * 3 + [(105.8542, 21.0285)]

    table = pd.read_csv(refused, dtype=str, keep_default_na=False)
    assert table["row"].tolist() == ["6", "7", "8", "9"]
    assert table["reason"].tolist() == [
        f"camera_code: unknown reference: camera_code CAM-NONE matches no {Camera._meta.verbose_name}",
        f"ward_code: ward: {other.name} ({other.code}) does not hold the feature; it lies in "
        f"{new_ward.name} ({new_ward.code}) on 2026-01-05",
        "lon: bad value: 'abc' is not a number (a coordinate)",
        "bad value: it breaks a rule of the layer (layers_detection_confidence_check)",
    ]


def test_times_all_written_with_offsets_load_to_the_microsecond_with_the_ward_of_their_day(tmp_path, ward):
    camera = Camera.objects.order_by("code").first()
    new_ward = AdminUnit.objects.communes().valid_on(REFORM).get(name="Yên Bái")
    point = ward.geom.point_on_surface
    path = tmp_path / "detections.csv"
    path.write_text(
        "camera_code,object_class,confidence,observed_at,lon,lat\n"
        f"{camera.code},car,0.9,2025-06-30T23:59:59.999999+07:00,{point.x},{point.y}\n"
        f"{camera.code},car,0.9,2025-06-30T17:00:00Z,{point.x},{point.y}\n"
        f"{camera.code},car,0.9,2025-06-30T14:30:00.25-02:30,{point.x},{point.y}\n", encoding="utf-8")
    before = Detection.objects.aggregate(Max("id"))["id__max"] or 0
    assert import_file(path, ImportOptions(layer="detections")).rows_loaded == 3
    loaded = Detection.objects.filter(id__gt=before).order_by("id")
    assert list(loaded.values_list("observed_at", "ward_id")) == [
        (datetime(2025, 6, 30, 16, 59, 59, 999999, tzinfo=UTC), ward.pk),
        (datetime(2025, 6, 30, 17, 0, tzinfo=UTC), new_ward.pk),
        (datetime(2025, 6, 30, 17, 0, 0, 250000, tzinfo=UTC), new_ward.pk),
    ]
