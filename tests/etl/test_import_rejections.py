"""Bad files are refused with messages naming rows and reasons, and the database is left as it was."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, Polygon

from etl.errors import ImportRejected, MappingError, SourceError
from etl.importer import ImportOptions, import_file
from etl.models import ImportReport
from layers.models import Parcel

pytestmark = pytest.mark.django_db

BOW_TIE = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])


def bow_tie_near(lot) -> Polygon:
    x, y = lot.bounds[0], lot.bounds[1]
    return Polygon([(x + px * 0.0001, y + py * 0.0001) for px, py in BOW_TIE.exterior.coords])


def refused(path, **options) -> ImportRejected:
    before = Parcel.objects.count()
    with pytest.raises(ImportRejected) as caught:
        import_file(path, ImportOptions(layer=options.pop("layer", "parcels"), **options))
    assert Parcel.objects.count() == before, "a refused import must write nothing"
    return caught.value


def messages(error: ImportRejected) -> list[str]:
    return [str(p) for p in error.report.problems]


def test_self_intersecting_polygon_is_refused_with_its_row(parcel_rows, write_file):
    rows = parcel_rows(3)
    rows[1]["geometry"] = bow_tie_near(rows[1]["geometry"])
    error = refused(write_file("p.gpkg", rows))
    assert len(error.report.problems) == 1
    assert messages(error)[0].startswith("row 2 [geometry]: invalid geometry: Self-intersection[")
    assert "--repair" in messages(error)[0]
    assert error.report.rows_rejected == 1 and error.report.rows_read == 3


def test_repair_fixes_a_self_intersecting_polygon_and_warns(parcel_rows, write_file):
    rows = parcel_rows(3)
    rows[1]["geometry"] = bow_tie_near(rows[1]["geometry"])
    report = import_file(write_file("p.gpkg", rows), ImportOptions(layer="parcels", repair=True))
    assert report.rows_loaded == 3
    assert report.warnings == ["1 invalid geometries were repaired with make_valid"]
    assert Parcel.objects.get(sheet_no=900, parcel_no=2).geom.valid


def test_missing_geometry_is_refused(parcel_rows, write_file):
    rows = parcel_rows(2)
    rows[0]["geometry"] = None
    assert messages(refused(write_file("p.gpkg", rows))) == [
        "row 1 [geometry]: missing geometry: the row has no shape"]


def test_points_outside_vietnam_are_refused_with_their_rows(parcel_rows, write_file):
    rows = parcel_rows(3)
    rows[2]["geometry"] = Point(100.50, 13.75).buffer(0.0001)  # Bangkok
    problems = messages(refused(write_file("p.gpkg", rows)))
    assert len(problems) == 1
    assert problems[0].startswith("row 3 [geometry]: outside Vietnam: a point lies at lon 100.5")


def test_swapped_lat_lon_is_refused_with_the_reason(parcel_rows, write_file):
    rows = parcel_rows(2)
    for row in rows:
        row["geometry"] = Polygon([(y, x) for x, y in row["geometry"].exterior.coords])
    with pytest.raises(SourceError, match=r"y=104\.\d+ is not a latitude: the coordinates look like"):
        import_file(write_file("p.gpkg", rows), ImportOptions(layer="parcels"))


def test_file_without_crs_is_refused_with_guidance(parcel_rows, write_file):
    path = write_file("p.shp", parcel_rows(2), crs=None)
    with pytest.raises(SourceError, match=r"declares no coordinate reference system; pass --crs"):
        import_file(path, ImportOptions(layer="parcels"))
    assert ImportReport.objects.first().status == "failed"


def test_projected_coordinates_declared_as_degrees_are_refused(parcel_rows, write_file):
    rows = parcel_rows(1)
    rows[0]["geometry"] = Point(512000, 2402000).buffer(10)
    with pytest.raises(SourceError, match=r"are not degrees, but the CRS is geographic"):
        import_file(write_file("p.gpkg", rows), ImportOptions(layer="parcels"))


def test_unknown_crs_text_is_refused(parcel_rows, write_file):
    with pytest.raises(MappingError, match="vn2000:yen-bai"):
        import_file(write_file("p.gpkg", parcel_rows(1)), ImportOptions(layer="parcels", crs="EPSG:1"))


def test_missing_required_column_is_refused(parcel_rows, write_file):
    rows = [{k: v for k, v in r.items() if k != "land_use"} for r in parcel_rows(2)]
    problems = messages(refused(write_file("p.gpkg", rows)))
    assert len(problems) == 1
    assert problems[0].startswith("file: missing column: land_use is required (one of LUC, LUK, BHK")


def test_blank_and_bad_values_are_refused_per_row(parcel_rows, write_file):
    rows = parcel_rows(3)
    rows[0]["land_use"] = ""
    rows[2]["land_use"] = "XYZ"
    problems = messages(refused(write_file("p.gpkg", rows)))
    assert problems[0].startswith("row 3 [land_use]: bad value: 'XYZ' is not one of LUC, LUK")
    assert problems[1] == "row 1 [land_use]: missing value: land_use is required"


def test_duplicate_parcel_numbers_in_one_file_are_refused(parcel_rows, write_file):
    rows = parcel_rows(3)
    rows[2]["parcel_no"] = 1
    problems = messages(refused(write_file("p.gpkg", rows)))
    assert len(problems) == 1
    assert problems[0].startswith("row 3: duplicate key: {'ward': ")
    assert problems[0].endswith("repeats row 1")


def test_parcel_numbers_already_in_the_database_are_refused_in_append_mode(parcel_rows, write_file):
    import_file(write_file("a.gpkg", parcel_rows(2)), ImportOptions(layer="parcels"))
    problems = messages(refused(write_file("b.gpkg", parcel_rows(3))))
    assert [p.split(":")[0] for p in problems] == ["row 1", "row 2"]
    assert "use --mode upsert" in problems[0]


def test_unknown_ward_code_is_refused(parcel_rows, write_file):
    rows = parcel_rows(2)
    rows[1]["ward_code"] = "00000"
    assert messages(refused(write_file("p.gpkg", rows))) == [
        "row 2 [ward_code]: unknown reference: ward_code 00000 matches no Đơn vị hành chính"]


def test_unknown_columns_are_refused_with_the_fields_to_use(parcel_rows, write_file):
    rows = parcel_rows(1)
    rows[0]["ghi_chu"] = "x"
    with pytest.raises(MappingError, match=r"columns not in layer parcels: \['ghi_chu'\]"):
        import_file(write_file("p.gpkg", rows), ImportOptions(layer="parcels"))


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="empty.geojson: is empty"):
        import_file(path, ImportOptions(layer="parcels"))


def test_file_with_no_rows_is_refused(tmp_path):
    path = tmp_path / "none.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(SourceError, match="holds no rows"):
        import_file(path, ImportOptions(layer="parcels"))


def test_corrupt_file_is_refused(tmp_path):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    with pytest.raises(SourceError, match="broken.gpkg: cannot be read"):
        import_file(path, ImportOptions(layer="parcels"))


def test_unsupported_format_is_refused(tmp_path):
    path = tmp_path / "plan.dwg"
    path.write_bytes(b"AC1032")
    with pytest.raises(SourceError, match=r"unsupported format '.dwg'; use one of .csv"):
        import_file(path, ImportOptions(layer="parcels"))


def test_unknown_layer_is_refused(parcel_rows, write_file):
    with pytest.raises(MappingError, match="unknown layer 'parcel'; choose one of: wards, parcels"):
        import_file(write_file("p.gpkg", parcel_rows(1)), ImportOptions(layer="parcel"))


def test_observation_rows_with_unknown_metric_or_feature_are_refused_and_nothing_is_written(tmp_path, ward):
    from etl.observations import import_observations
    from layers.models import Observation

    path = tmp_path / "obs.csv"
    path.write_text(
        "layer,feature_code,metric,observed_at,value\n"
        f"wards,{ward.code},rainfall,2030-01-01T00:00:00+07:00,7\n"
        "wards,99999,new_businesses,2030-01-01T00:00:00+07:00,3\n"
        f"wards,{ward.code},new_businesses,2030-01-01T00:00:00+07:00,5\n",
        encoding="utf-8",
    )
    before = Observation.objects.count()
    with pytest.raises(ImportRejected) as caught:
        import_observations(path, ImportOptions(layer="observations"))
    problems = sorted(str(p) for p in caught.value.report.problems)
    assert problems == [
        "row 2 [metric]: unknown metric: layer 'wards' has no metric 'rainfall'",
        "row 3 [feature_code]: unknown reference: feature_code '99999' matches no feature of layer wards",
    ]
    assert Observation.objects.count() == before


def test_text_in_a_coordinate_column_is_named_and_long_values_are_cut(tmp_path, ward):
    point = ward.geom.point_on_surface
    path = tmp_path / "schools.csv"
    path.write_text("code,name,school_level,lon,lat\n"
                    f"M-1,Trường A,thpt,{point.x},bốn mươi\n"
                    f"M-2,Trường B,{'x' * 5_000_000},{point.x},{point.y}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_file(path, ImportOptions(layer="schools"))
    first, second = (str(p) for p in refused.value.report.problems)
    assert first == "row 2 [lat]: bad value: 'bốn mươi' is not a number (a coordinate)"  # the header is row 1
    assert second.startswith("row 3 [school_level]: bad value: 'xxxxx") and len(second) < 400
    assert second.endswith("' (5,000,000 characters) is not one of mam_non, tieu_hoc, thcs, thpt, cao_dang, "
                           "dai_hoc")


def test_a_row_the_database_refuses_is_named_in_plain_words(parcel_rows, write_file):
    rows = parcel_rows(2)
    rows[1]["parcel_no"] = 3_000_000_000  # beyond PostgreSQL's integer
    problems = messages(refused(write_file("p.gpkg", rows)))
    assert problems == ["row 2 [parcel_no]: bad value: 3000000000 is out of range (0 to 2147483647)"]
