"""Rules on import = rules on edit: parcels that overlap or leave their ward are refused with the
editing API's message, a declared ward must hold the feature, a blank ward is found by location."""

from __future__ import annotations

import base64
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely import affinity, wkt
from shapely.geometry import box, mapping

from etl.errors import ImportRejected
from etl.importer import ImportOptions, import_file
from layers.models import AdminUnit, Parcel, School

pytestmark = pytest.mark.django_db


def editing_api_refusal(client, row: dict) -> str:
    """What the editing API answers when the same parcel is created through it."""
    token = base64.b64encode(b"quantri:toancanh-demo").decode()
    body = {"type": "Feature", "geometry": mapping(row["geometry"]),
            "properties": {"ward": AdminUnit.objects.get(code=row["ward_code"], valid_to__isnull=False).pk,
                           **{k: row[k] for k in ("sheet_no", "parcel_no", "land_use",
                               "owner_type", "address")}}}
    response = client.post("/ogc/collections/parcels/items?lang=en", json.dumps(body),
                           content_type="application/geo+json", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 400, response.content
    return response.json()["description"]


@pytest.fixture
def stored(ward) -> Parcel:
    return Parcel.objects.filter(ward=ward).order_by("pk")[10]


@pytest.fixture
def bad_parcels(parcel_rows, stored, ward) -> list[dict]:
    """Row 1 fine; row 2 overlaps a stored parcel (shifted 1 m); row 3 crosses the ward's border;
    row 4 overlaps row 1 of the same file."""  # (row numbers as the report names them)
    rows = parcel_rows(4)
    rows[1]["geometry"] = affinity.translate(wkt.loads(stored.geom.wkt), 0.00001, 0)
    border = wkt.loads(ward.geom.boundary.wkt).interpolate(0.3, normalized=True)
    square = box(border.x - 0.0002, border.y - 0.0002, border.x + 0.0002, border.y + 0.0002)
    rows[2]["geometry"] = square.intersection(wkt.loads(ward.geom.wkt).buffer(0.00003))  # 3 m beyond
    rows[3]["geometry"] = affinity.translate(rows[0]["geometry"], 0.00003, 0)
    return rows


def test_imported_parcels_that_overlap_or_leave_their_ward_are_refused_with_the_editing_message(
    client, bad_parcels, write_file, stored
):
    before = Parcel.objects.count()
    with pytest.raises(ImportRejected) as refused:
        import_file(write_file("p.gpkg", bad_parcels), ImportOptions(layer="parcels"))
    problems = {p.row: p.message for p in refused.value.report.problems}
    assert sorted(problems) == [2, 3, 4] and Parcel.objects.count() == before
    assert problems[2].startswith(f"geometry overlaps parcel {stored.pk} (tờ {stored.sheet_no} thửa "
                                  f"{stored.parcel_no}) by ")
    assert " m² lie outside Đồng Tâm (04255) (tolerance 2.0 m²); a parcel belongs to one ward" in problems[3]
    assert problems[4].startswith("geometry overlaps row 1 of the file by ")
    assert problems[2] == editing_api_refusal(client, bad_parcels[1])
    assert problems[3] == editing_api_refusal(client, bad_parcels[2])


def test_load_valid_rows_and_return_the_refused_ones_in_a_file_with_a_reason(
    bad_parcels, write_file, tmp_path
):
    refused_file = tmp_path / "refused.gpkg"
    report = import_file(write_file("p.gpkg", bad_parcels),
                         ImportOptions(layer="parcels", load_valid=True, refused_path=refused_file))
    assert (report.status, report.counts["inserted"], report.counts["refused"]) == ("loaded", 1, 3)
    assert list(Parcel.objects.filter(sheet_no=900).values_list("parcel_no", flat=True)) == [1]
    back = gpd.read_file(refused_file)
    assert list(back["row"]) == [2, 3, 4] and list(back["parcel_no"]) == [2, 3, 4]
    assert back["reason"].str.startswith("geometry").all()
    assert back.crs.to_epsg() == 4326 and back.geometry.iloc[0].equals_exact(bad_parcels[1]["geometry"], 1e-9)

    csv = tmp_path / "refused.csv"
    with pytest.raises(ImportRejected):  # all or nothing, and the refused rows still returned
        import_file(write_file("q.gpkg", bad_parcels), ImportOptions(layer="parcels", refused_path=csv))
    table = pd.read_csv(csv)
    assert list(table["row"]) == [1, 2, 3, 4]  # row 1 is now in the database
    assert table["reason"].iloc[0].startswith("already in the database: {'ward': '04255', 'sheet_no': '900'")


def test_a_blank_ward_is_found_by_location_and_a_declared_ward_must_hold_the_feature(tmp_path, ward, lots):
    inside = ward.geom.point_on_surface
    other = AdminUnit.objects.get(name="Hồng Hà", level="commune", valid_to__isnull=False)
    path = tmp_path / "schools.csv"
    path.write_text("code,name,school_level,ward_code,lon,lat\n"
                    f"R-1,Trường A,mam_non,,{inside.x},{inside.y}\n"
                    f"R-2,Trường B,mam_non,{other.code},{inside.x},{inside.y}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_file(path, ImportOptions(layer="schools"))
    (problem,) = refused.value.report.problems
    assert (problem.row, problem.column) == (3, "ward_code")  # the header is row 1
    assert problem.message == (f"ward: {other.name} ({other.code}) does not hold the feature; it lies in "
                               f"Yên Bái (04300) on {problem.message.rsplit(' on ', 1)[1]}")

    mapping_file = tmp_path / "default_ward.yaml"
    mapping_file.write_text(f"defaults: {{ward_code: '{other.code}'}}\n", encoding="utf-8")
    path.write_text(f"code,name,school_level,lon,lat\nR-3,Trường C,mam_non,{inside.x},{inside.y}\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected, match="1 of 1 rows"):
        import_file(path, ImportOptions(layer="schools", mapping=mapping_file))

    (lot,) = lots(1)
    rows = [{"ward_code": "", "sheet_no": 905, "parcel_no": 1, "land_use": "ODT", "owner_type": "GDC",
             "address": "", "geometry": lot}]
    parcels = tmp_path / "blank_ward.gpkg"
    gpd.GeoDataFrame(rows, crs=4326).to_file(parcels)
    import_file(parcels, ImportOptions(layer="parcels"))
    assert Parcel.objects.get(sheet_no=905).ward.name == "Yên Bái"
    assert not School.objects.filter(code__startswith="R-").exists()
