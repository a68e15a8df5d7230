"""A ward the file leaves out is the commune holding the row's geometry on the row's day
(ioc_commune_at, layers.communes); a ward the file gives is kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from shapely import affinity

from etl.errors import ImportRejected
from etl.importer import ImportOptions, import_file
from layers.models import AdminUnit, Incident, Parcel, School

pytestmark = pytest.mark.django_db
REFORM = date(2025, 7, 1)


def commune(name: str, day: date) -> AdminUnit:
    return AdminUnit.objects.communes().valid_on(day).get(name=name)


def test_points_without_a_ward_column_are_in_the_commune_holding_them_today(tmp_path, ward):
    point = ward.geom.point_on_surface  # inside the old Đồng Tâm, so inside today's Yên Bái
    path = tmp_path / "schools.csv"
    path.write_text("code,name,school_level,lon,lat\n"
                    f"WARD-1,Trường Mầm non Sơn Ca,mam_non,{point.x},{point.y}\n"
                    "WARD-2,Trường Mầm non Hà Nội,mam_non,105.8542,21.0285\n", encoding="utf-8")
    report = import_file(path, ImportOptions(layer="schools"))
    assert report.rows_loaded == 2
    today = commune("Yên Bái", REFORM)
    assert timezone.localdate() >= REFORM
    assert dict(School.objects.filter(code__startswith="WARD-").values_list("code", "ward_id")) == {
        "WARD-1": today.pk, "WARD-2": None}  # Hà Nội lies in no commune of the city


def test_an_event_is_in_the_commune_of_its_own_day(tmp_path, ward):
    point = ward.geom.point_on_surface
    path = tmp_path / "incidents.csv"
    path.write_text(
        "code,category,severity,title,reported_at,ward_code,lon,lat\n"
        f"WARD-OLD,fire,low,Cháy bếp,2025-06-30T23:30:00+07:00,,{point.x},{point.y}\n"
        f"WARD-NEW,fire,low,Cháy bếp,2025-06-30T17:30:00Z,,{point.x},{point.y}\n"  # 00:30 on 1 July
        f"WARD-GIVEN,fire,low,Cháy bếp,2026-01-05T08:00:00+07:00,{ward.code},{point.x},{point.y}\n",
        encoding="utf-8")
    report = import_file(path, ImportOptions(layer="incidents"))
    assert report.rows_loaded == 3
    assert dict(Incident.objects.filter(code__startswith="WARD-").values_list("code", "ward_id")) == {
        "WARD-OLD": ward.pk, "WARD-NEW": commune("Yên Bái", REFORM).pk, "WARD-GIVEN": ward.pk}


def test_a_parcel_without_a_ward_takes_its_commune_and_one_outside_every_commune_is_refused(
    tmp_path, write_file, lots
):
    (inside,) = lots(1)
    rows = [{"sheet_no": 901, "parcel_no": 1, "land_use": "ODT", "owner_type": "GDC", "address": "Số 1",
             "geometry": inside}]
    report = import_file(write_file("inside.gpkg", rows), ImportOptions(layer="parcels"))
    assert report.rows_loaded == 1
    assert Parcel.objects.get(sheet_no=901, parcel_no=1).ward_id == commune("Yên Bái", REFORM).pk

    far = affinity.translate(inside, 105.8542 - inside.centroid.x, 21.0285 - inside.centroid.y)
    rows = [{**rows[0], "parcel_no": 2, "geometry": far}]
    with pytest.raises(ImportRejected) as rejected:
        import_file(write_file("far.gpkg", rows), ImportOptions(layer="parcels"))
    problems = rejected.value.report.problems
    assert [(p.row, p.column) for p in problems] == [(1, "ward")]
    assert f"the geometry lies in no commune on {timezone.localdate()}" in problems[0].message
    assert not Parcel.objects.filter(sheet_no=901, parcel_no=2).exists()
