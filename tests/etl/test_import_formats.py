"""Every supported format loads into its layer, exactly, through the one import pipeline."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from django.core.management import call_command

from etl.importer import ImportOptions, import_file
from etl.models import ImportReport
from etl.observations import import_observations
from layers.models import AdminUnit, Observation, Parcel, School

pytestmark = pytest.mark.django_db


def test_geopackage_parcels_load_with_ward_and_server_side_area(parcel_rows, write_file, ward):
    before = Parcel.objects.count()
    report = import_file(write_file("p.gpkg", parcel_rows(3)), ImportOptions(layer="parcels"))
    assert (report.status, report.rows_read, report.rows_loaded) == ("loaded", 3, 3)
    assert Parcel.objects.count() == before + 3
    loaded = Parcel.objects.get(ward=ward, sheet_no=900, parcel_no=2)
    assert loaded.land_use == "ODT"
    assert 90 < loaded.area_m2 < 110  # a 0.00009° square near 21.7° N is about 96 m²
    assert loaded.geom.geom_type == "MultiPolygon"


def test_zipped_shapefile_loads(parcel_rows, tmp_path, write_file):
    shp = write_file("lots.shp", parcel_rows(4))
    archive = tmp_path / "lots.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp_path.glob("lots.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    assert shp.exists()
    report = import_file(archive, ImportOptions(layer="parcels"))
    assert report.rows_loaded == 4


@pytest.mark.parametrize("name", ["lots.geojson", "lots.fgb"])
def test_geojson_and_flatgeobuf_load(parcel_rows, write_file, name):
    report = import_file(write_file(name, parcel_rows(5)), ImportOptions(layer="parcels"))
    assert report.rows_loaded == 5
    assert Parcel.objects.filter(sheet_no=900).count() == 5


def test_csv_with_lon_lat_columns_loads_points(tmp_path, ward):
    point = ward.geom.point_on_surface
    path = tmp_path / "schools.csv"
    path.write_text(
        "code,name,school_level,students,teachers,ward_code,lon,lat\n"
        f"TEST-1,Trường Mầm non Hoa Sen,mam_non,120,14,{ward.code},{point.x},{point.y}\n"
        f"TEST-2,Trường Tiểu học Kim Đồng,tieu_hoc,640,31,{ward.code},{point.x + 0.001},{point.y}\n",
        encoding="utf-8",
    )
    report = import_file(path, ImportOptions(layer="schools"))
    assert report.rows_loaded == 2
    school = School.objects.get(code="TEST-2")
    assert (school.students, school.ward_id) == (640, ward.pk)
    assert school.geom.x == pytest.approx(point.x + 0.001)


def test_csv_with_wkt_column_loads_polygons(tmp_path, parcel_rows):
    rows = parcel_rows(2)
    frame = pd.DataFrame([{**r, "geometry": r["geometry"].wkt} for r in rows]).rename(
        columns={"geometry": "wkt"})
    path = tmp_path / "lots.csv"
    frame.to_csv(path, index=False)
    report = import_file(path, ImportOptions(layer="parcels"))
    assert report.rows_loaded == 2


def test_long_observation_table_upserts_values(tmp_path, ward):
    path = tmp_path / "indicators.csv"
    path.write_text(
        "layer,feature_code,metric,observed_at,value\n"
        f"wards,{ward.code},new_businesses,2030-01-01T00:00:00+07:00,7\n"
        f"wards,{ward.code},new_businesses,2030-02-01T00:00:00+07:00,9\n",
        encoding="utf-8",
    )
    assert import_observations(path, ImportOptions(layer="observations")).rows_loaded == 2
    path.write_text(path.read_text().replace(",9\n", ",11\n"), encoding="utf-8")
    import_observations(path, ImportOptions(layer="observations"))
    values = Observation.objects.filter(layer="wards", metric="new_businesses", feature_id=ward.pk,
                                        observed_at__year=2030).order_by("observed_at")
    assert [v.value for v in values] == [7, 11]
    assert values[0].period == "month"


def test_wide_xlsx_indicator_table_loads_one_row_per_metric(tmp_path, ward):
    path = tmp_path / "chi_tieu.xlsx"
    pd.DataFrame([
        {"feature_code": ward.code, "observed_at": "2031-03-01", "budget_revenue": 1520.5,
         "poor_households_pct": 1.8},
    ]).to_excel(path, index=False)
    report = import_observations(path, ImportOptions(layer="observations"), for_layer="wards")
    assert report.rows_loaded == 2
    assert Observation.objects.get(metric="budget_revenue", observed_at__year=2031).value == 1520.5


def test_upsert_updates_rows_with_the_same_natural_key(parcel_rows, write_file):
    rows = parcel_rows(3)
    import_file(write_file("a.gpkg", rows), ImportOptions(layer="parcels"))
    rows[0]["land_use"] = "TMD"
    report = import_file(write_file("b.gpkg", rows), ImportOptions(layer="parcels", mode="upsert"))
    assert report.rows_loaded == 3
    assert Parcel.objects.filter(sheet_no=900).count() == 3
    assert Parcel.objects.get(sheet_no=900, parcel_no=1).land_use == "TMD"


def test_replace_swaps_the_whole_layer(tmp_path, ward):
    point = ward.geom.point_on_surface
    path = tmp_path / "schools.csv"
    path.write_text("code,name,school_level,lon,lat\n"
                    f"ONLY-1,Trường THPT Lý Thường Kiệt,thpt,{point.x},{point.y}\n", encoding="utf-8")
    import_file(path, ImportOptions(layer="schools", mode="replace"))
    assert list(School.objects.values_list("code", flat=True)) == ["ONLY-1"]


def test_dry_run_reports_but_writes_nothing(parcel_rows, write_file):
    before = Parcel.objects.count()
    report = import_file(write_file("p.gpkg", parcel_rows(3)), ImportOptions(layer="parcels", dry_run=True))
    assert (report.status, report.rows_loaded) == ("dry_run", 3)
    assert Parcel.objects.count() == before


def test_every_import_stores_its_report(parcel_rows, write_file):
    import_file(write_file("p.gpkg", parcel_rows(2)), ImportOptions(layer="parcels", actor="tester"))
    stored = ImportReport.objects.first()
    assert (stored.layer, stored.status, stored.rows_read, stored.rows_loaded, stored.actor) == (
        "parcels", "loaded", 2, 2, "tester")
    assert stored.duration_s > 0


def test_cli_prints_the_report(parcel_rows, write_file, capsys):
    call_command("import", str(write_file("p.gpkg", parcel_rows(2))), layer="parcels", verbosity=0)
    out = capsys.readouterr().out
    assert "nạp / loaded: 2" in out and "từ chối / rejected: 0" in out


def test_admin_units_resolve_parents_by_code_and_date(tmp_path):
    """Two structures share province code 15; each unit gets the parent valid on its own date."""
    base = AdminUnit.objects.get(level="province", valid_to__isnull=False)
    rows = [
        {"code": "99", "name": "Tỉnh Thử", "level": "province", "unit_type": "tinh", "parent_code": "",
         "valid_from": "2000-01-01", "valid_to": "2025-07-01"},
        {"code": "99", "name": "Tỉnh Mới", "level": "province", "unit_type": "tinh", "parent_code": "",
         "valid_from": "2025-07-01", "valid_to": ""},
        {"code": "99001", "name": "Xã Cũ", "level": "commune", "unit_type": "xa", "parent_code": "99",
         "valid_from": "2000-01-01", "valid_to": "2025-07-01"},
        {"code": "99002", "name": "Xã Mới", "level": "commune", "unit_type": "xa", "parent_code": "99",
         "valid_from": "2025-07-01", "valid_to": ""},
    ]
    frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries.from_wkt([base.geom.wkt] * 4), crs=4326)
    path = tmp_path / "units.gpkg"
    frame.to_file(path)
    import_file(path, ImportOptions(layer="wards"))
    assert AdminUnit.objects.get(code="99001").parent.name == "Tỉnh Thử"
    assert AdminUnit.objects.get(code="99002").parent.name == "Tỉnh Mới"
