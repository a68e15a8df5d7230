"""A mapping file renames a cadastral export's columns, recodes its values and adds defaults."""

from __future__ import annotations

import pytest

from etl.errors import MappingError
from etl.importer import ImportOptions, import_file
from layers.models import Parcel

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
