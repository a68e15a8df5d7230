"""What an import did, counted: inserted, updated, unchanged, deleted and refused, also in a dry run."""

from __future__ import annotations

import pytest

from etl.importer import ImportOptions, import_file
from etl.models import ImportReport
from layers.models import Parcel, ParcelOwner, School

pytestmark = pytest.mark.django_db


def test_upsert_counts_inserted_updated_and_unchanged_rows_and_leaves_unchanged_ones_alone(
    parcel_rows, write_file
):
    rows = parcel_rows(3)
    first = import_file(write_file("a.gpkg", rows[:2]), ImportOptions(layer="parcels", mode="upsert"))
    assert first.counts == {"inserted": 2, "updated": 0, "unchanged": 0, "deleted": 0, "refused": 0}
    versions = dict(Parcel.objects.filter(sheet_no=900).values_list("parcel_no", "version"))
    rows[0]["land_use"] = "TMD"
    again = import_file(write_file("b.gpkg", rows), ImportOptions(layer="parcels", mode="upsert"))
    assert again.counts == {"inserted": 1, "updated": 1, "unchanged": 1, "deleted": 0, "refused": 0}
    after = dict(Parcel.objects.filter(sheet_no=900).values_list("parcel_no", "version"))
    assert after[2] == versions[2] and after[1] == versions[1] + 1
    assert ImportReport.objects.first().counts == again.counts
    assert "thêm / inserted: 1   cập nhật / updated: 1   không đổi / unchanged: 1" in again.summary()


def test_a_dry_run_of_replace_says_how_many_rows_and_cascaded_rows_it_would_delete(tmp_path, ward):
    point = ward.geom.point_on_surface
    path = tmp_path / "schools.csv"
    path.write_text(f"code,name,school_level,lon,lat\nONLY-1,Trường X,thpt,{point.x},{point.y}\n",
                    encoding="utf-8")
    schools = School.objects.count()
    report = import_file(path, ImportOptions(layer="schools", mode="replace", dry_run=True))
    assert report.counts == {"inserted": 1, "updated": 0, "unchanged": 0, "deleted": schools, "refused": 0}
    assert School.objects.count() == schools
    assert f"xóa / deleted: {schools}" in report.summary()


def test_replacing_parcels_names_the_owners_deleted_with_them(parcel_rows, write_file):
    owners, parcels = ParcelOwner.objects.count(), Parcel.objects.count()
    report = import_file(write_file("p.gpkg", parcel_rows(2)),
                         ImportOptions(layer="parcels", mode="replace", dry_run=True))
    assert report.counts["deleted"] == parcels
    assert f"replace deletes {parcels:,} parcels and with them {owners:,} parcel owners" in report.warnings[0]
