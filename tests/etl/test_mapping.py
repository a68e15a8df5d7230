"""A mapping file renames a cadastral export's columns, recodes its values and adds defaults."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.errors import ImportRejected, MappingError
from etl.importer import ImportOptions, import_file
from etl.observations import import_observations
from layers.models import Parcel, School

pytestmark = pytest.mark.django_db

MAPPING = """
columns: {MA_XA: ward_code, SO_TO: sheet_no, SO_THUA: parcel_no, MDSD: land_use, DIA_CHI: address}
values:
  land_use: {"Đất ở tại đô thị": ODT, "Đất thương mại, dịch vụ": TMD}
defaults: {owner_type: GDC}
ignore: [GHI_CHU, DIEN_TICH]
"""


def test_mapping_file_renames_recodes_defaults_and_ignores(parcel_rows, write_file, tmp_path):
    rows = [
        {"MA_XA": r["ward_code"], "SO_TO": r["sheet_no"], "SO_THUA": r["parcel_no"],
         "MDSD": "Đất thương mại, dịch vụ" if i else "Đất ở tại đô thị", "DIA_CHI": r["address"],
         "GHI_CHU": "ghi chú", "DIEN_TICH": 123.4, "geometry": r["geometry"]}
        for i, r in enumerate(parcel_rows(2))
    ]
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    report = import_file(write_file("export.gpkg", rows), ImportOptions(layer="parcels", mapping=mapping))
    assert report.rows_loaded == 2
    loaded = Parcel.objects.filter(sheet_no=900).order_by("parcel_no")
    assert [(p.land_use, p.owner_type) for p in loaded] == [("ODT", "GDC"), ("TMD", "GDC")]


def test_mapping_naming_a_column_the_file_lacks_is_refused(parcel_rows, write_file, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {SO_TO: sheet_no}", encoding="utf-8")
    with pytest.raises(MappingError, match=r"names columns the file does not have: \['SO_TO'\]"):
        import_file(write_file("p.gpkg", parcel_rows(1)), ImportOptions(layer="parcels", mapping=mapping))


def test_malformed_mapping_file_is_refused(parcel_rows, write_file, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("colums: {}", encoding="utf-8")
    with pytest.raises(MappingError, match=r"unknown keys \['colums'\]"):
        import_file(write_file("p.gpkg", parcel_rows(1)), ImportOptions(layer="parcels", mapping=mapping))


def test_yaml_yes_no_on_are_text_and_computed_columns_combine_and_convert(ward, tmp_path):
    point = ward.geom.point_on_surface
    path = tmp_path / "osm_schools.csv"
    path.write_text(
        "ref,name,amenity,addr:housenumber,addr:street,lon,lat\n"
        f"OSM-1,Mầm non Sơn Ca,yes,12,Đinh Tiên Hoàng,{point.x},{point.y}\n"
        f"OSM-2,Tiểu học Kim Đồng,on,,Lê Lợi,{point.x},{point.y}\n", encoding="utf-8")
    mapping = tmp_path / "osm.yaml"
    mapping.write_text(
        "columns: {ref: code}\n"
        "computed:\n"
        "  address: '{addr:housenumber} {addr:street}'\n"
        "  school_level: '{amenity}'\n"
        "values: {school_level: {yes: mam_non, on: tieu_hoc}}\n", encoding="utf-8")
    report = import_file(path, ImportOptions(layer="schools", mapping=mapping))
    assert report.counts["inserted"] == 2
    assert list(School.objects.filter(code__startswith="OSM-").order_by("code")
                .values_list("school_level", "address")) == [("mam_non", "12 Đinh Tiên Hoàng"),
                                                             ("tieu_hoc", "Lê Lợi")]


def test_an_expression_converts_units_and_names_rows_it_cannot_read(parcel_rows, write_file, tmp_path):
    rows = [{**r, "SO_THUA_X10": r.pop("parcel_no") * 10} for r in parcel_rows(2)]
    rows[1]["SO_THUA_X10"] = "mười"
    mapping = tmp_path / "m.yaml"
    mapping.write_text("computed: {parcel_no: {expression: '{SO_THUA_X10} / 10 + 0'}}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_file(write_file("p.gpkg", rows), ImportOptions(layer="parcels", mapping=mapping))
    assert [str(p) for p in refused.value.report.problems] == [
        "row 2 [SO_THUA_X10]: bad value: 'mười' is not a number (computed column parcel_no: "
        "{SO_THUA_X10} / 10 + 0)"]
    mapping.write_text("computed: {parcel_no: {expression: '__import__(\"os\")'}}\n", encoding="utf-8")
    with pytest.raises(MappingError, match="may hold only"):
        import_file(write_file("p.gpkg", rows), ImportOptions(layer="parcels", mapping=mapping))


def test_a_mapping_applies_to_an_indicator_table_and_its_rows_are_named_as_the_sheet_shows(ward, tmp_path):
    path = tmp_path / "chi_tieu.xlsx"
    pd.DataFrame({"MA": [ward.code, "99999"], "THANG": ["2031-04-01"] * 2, "THU_NS": ["1520.5", "3"]}
                 ).to_excel(path, index=False)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {MA: feature_code, THANG: observed_at, THU_NS: budget_revenue}\n",
                       encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        import_observations(path, ImportOptions(layer="observations", mapping=mapping), "wards")
    assert refused.value.report.summary().splitlines()[-1] == (
        "  - row 3 [feature_code]: unknown reference: feature_code '99999' matches no feature of layer wards")
    path_ok = tmp_path / "ok.xlsx"
    pd.read_excel(path, dtype=str).iloc[:1].to_excel(path_ok, index=False)
    report = import_observations(path_ok, ImportOptions(layer="observations", mapping=mapping), "wards")
    assert report.rows_loaded == 1
