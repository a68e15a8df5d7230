"""The mapping step: the file's columns beside the layer's fields and codes, with a suggested field
for each column (the same name, a known synonym, the field's label, or values from its code list)
and suggested recodings of values written as labels ("Đất ở tại đô thị" → ODT)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict

import pandas as pd

from etl.describe import Column, describe_target
from etl.errors import EtlError
from etl.lookups import normalize
from etl.sources import Source, read_source
from etl.targets import get_target
from services.imports.errors import BadUpload
from services.imports.uploads import Upload

SAMPLES = 5
VALUE_LIST = 40  # a column with at most this many distinct values shows them all
VALUES_MATCH = 0.8  # share of a column's values that must be codes or labels of a code list

# Column names of Vietnamese cadastral and planning data, OpenStreetMap and common GIS exports, folded
# (lower case, no diacritics, letters and digits only), for the fields they usually hold.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sheet_no": ("soto", "sotobando", "tobando", "toban", "shbando", "sohieuto", "sheet", "mapsheet"),
    "parcel_no": ("sothua", "thua", "sohieuthua", "parcel", "parcelnumber", "lot"),
    "land_use": ("mdsd", "mucdich", "mucdichsudung", "loaidat", "kyhieumdsd", "landuse", "kyhieu"),
    "ward_code": ("maxa", "maphuong", "maphuongxa", "madvhc", "madonvi", "communecode", "wardcode"),
    "address": ("diachi", "addr", "addrfull", "diachithuadat"),
    "owner_type": ("loaichu", "doituong", "doituongsudung", "chusudung", "ownertype"),
    "name": ("ten", "tencoso", "hoten", "ten_coso"),
    "code": ("ma", "macoso", "id_coso"),
    "zone_code": ("maodat", "kyhieuo", "kyhieuodat", "zone"),
    "decision_no": ("soqd", "soquyetdinh", "quyetdinh", "decision"),
    "decision_date": ("ngayqd", "ngayquyetdinh", "ngaybanhanh"),
    "plan_name": ("tenquyhoach", "tendoan", "plan"),
    "function": ("chucnang", "chucnangsudung"),
    "max_height_m": ("tangcao", "chieucaotoida", "chieucao", "height"),
    "max_far": ("hesosdd", "hesosudungdat", "far"),
    "max_coverage_pct": ("matdo", "matdoxaydung", "coverage"),
}


def fold(text: object) -> str:
    """A name or value for comparison: lower case, without diacritics (đ → d), letters and digits."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", plain.lower())


def read(upload: Upload, source_layer: str | None) -> Source:
    """The uploaded file as the importer reads it; 400 naming what is wrong with it."""
    try:
        return read_source(upload.path, source_layer)
    except EtlError as exc:
        raise BadUpload(f"file: không đọc được tệp {upload.state['name']}: {exc}",
                        f"file: cannot read {upload.state['name']}: {exc}") from exc


def mapping_step(upload: Upload, layer_id: str, source_layer: str | None) -> dict:
    """The file's columns with samples and suggested fields, the layer's fields and codes, and the
    suggested recoding of values."""
    source = read(upload, source_layer)
    try:
        description = describe_target(get_target(layer_id))
    except EtlError as exc:
        raise BadUpload(f"layer: {exc}", f"layer: {exc}") from exc
    fields = description.columns
    frame = source.frame.drop(columns=[source.frame.geometry.name]) if source.has_geometry else source.frame
    columns, taken = [], set()
    for name in frame.columns:
        values = _distinct(frame[name])
        field, why = _suggest(str(name), values, fields, taken)
        if field:
            taken.add(field)
        columns.append({"name": str(name), "samples": [str(v) for v in values[:SAMPLES]],
                        "values": [str(v) for v in values] if len(values) <= VALUE_LIST else None,
                        "distinct": len(values), "suggestion": field, "why": why})
    recode = {c["suggestion"]: _recode(c["values"], _field(fields, c["suggestion"]))
              for c in columns if c["suggestion"] and c["values"]}
    return {"layer": layer_id, "geometry": description.geometry, "rows": len(frame),
            "has_geometry": source.has_geometry, "crs": source.crs.name if source.crs else None,
            "columns": columns, "fields": [asdict(f) for f in fields],
            "values": {field: values for field, values in recode.items() if values}}


def _distinct(column: pd.Series) -> list:
    values = [v for v in column.map(normalize).unique().tolist() if v != ""]
    return sorted(values, key=str)


def _field(fields: list[Column], name: str) -> Column | None:
    return next((f for f in fields if f.name == name), None)


def _suggest(name: str, values: list, fields: list[Column], taken: set[str]) -> tuple[str | None, str]:
    """(field, why) for a file column, or (None, "") when nothing fits; a field is suggested once."""
    folded = fold(name)
    free = [f for f in fields if f.name not in taken]
    rules = (
        ("same_name", lambda f: fold(f.name) == folded),
        ("synonym", lambda f: folded in SYNONYMS.get(f.name, ())),
        ("label", lambda f: bool(f.label) and fold(f.label.split(" (")[0]) == folded),
        ("values", lambda f: bool(f.codes) and bool(values) and _coded_share(values, f) >= VALUES_MATCH),
    )
    for why, fits in rules:
        found = next((f for f in free if fits(f)), None)
        if found is not None:
            return found.name, why
    return None, ""


def _labels(field: Column) -> dict[str, str]:
    """Folded codes and labels (each language) of a coded field → its code."""
    known = {}
    for code, label in field.codes:
        known[fold(code)] = code
        for part in str(label).split(" / "):
            known.setdefault(fold(part), code)
    return known


def _coded_share(values: list, field: Column) -> float:
    known = _labels(field)
    return sum(fold(v) in known for v in values) / len(values)


def _recode(values: list | None, field: Column | None) -> dict[str, str]:
    """Values of a column written other than as the field's codes (labels, lower case) → the code."""
    if not values or field is None or not field.codes:
        return {}
    codes = {code for code, _ in field.codes}
    known = _labels(field)
    return {str(v): known[fold(v)] for v in values if str(v) not in codes and fold(v) in known}


def source_layers(upload: Upload) -> list[str]:
    """The layers of a multi-layer GIS file (a GeoPackage …), to choose one; [] for one or a table."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    if upload.path.suffix.lower() in (".csv", ".xlsx"):
        return []
    try:
        names = [str(name) for name, _ in pyogrio.list_layers(upload.path)]
    except (DataSourceError, DataLayerError):
        names = []  # read() says what is wrong
    return names if len(names) > 1 else []
