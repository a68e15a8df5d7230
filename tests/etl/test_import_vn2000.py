"""VN-2000 survey coordinates import to cadastral accuracy, checked against EPSG's own pipeline."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod
from pyproj.transformer import TransformerGroup
from shapely.geometry import Point

from etl.importer import ImportOptions, import_file
from layers.models import School

pytestmark = pytest.mark.django_db

# Survey points in Yên Bái city, VN-2000 / TM-3 104°45' (EPSG:9208): (easting, northing).
POINTS = [(517_352.114, 2_402_198.503), (518_905.870, 2_399_876.245), (515_010.402, 2_404_731.980)]


def epsg_reference(easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:9208 → WGS 84 through EPSG operation 6960 'VN-2000 to WGS 84 (2)' (independent of ours)."""
    group = TransformerGroup("EPSG:9208", "EPSG:4326", always_xy=True)
    (chosen,) = [t for t in group.transformers if "VN-2000 to WGS 84 (2)" in t.description]
    return chosen.transform(easting, northing)


def distances_m(codes: list[str]) -> np.ndarray:
    east, north = np.array(POINTS).T
    ref_lon, ref_lat = epsg_reference(east, north)
    stored = [School.objects.get(code=code).geom for code in codes]
    _, _, dist = Geod(ellps="WGS84").inv([g.x for g in stored], [g.y for g in stored], ref_lon, ref_lat)
    return np.abs(dist)


def test_csv_in_vietnamese_survey_order_lands_within_5_cm(tmp_path):
    """Columns X (northing) and Y (easting), as survey tables write them, with --crs by province."""
    path = tmp_path / "truong_hoc.csv"
    lines = ["code,name,school_level,X,Y"] + [
        f"VN-{i},Trường {i},thcs,{north},{east}" for i, (east, north) in enumerate(POINTS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(path, ImportOptions(layer="schools", crs="vn2000:yen-bai"))
    assert report.rows_loaded == 3
    assert "northing and easting (Vietnamese survey order); swapped" in report.warnings[0]
    assert distances_m([f"VN-{i}" for i in range(3)]).max() < 0.05


def test_geopackage_declaring_epsg_9208_lands_within_5_cm(tmp_path):
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"code": [f"G-{i}" for i in range(3)], "name": ["a", "b", "c"], "school_level": ["thpt"] * 3},
        geometry=[Point(e, n) for e, n in POINTS], crs="EPSG:9208")
    path = tmp_path / "schools_vn2000.gpkg"
    frame.to_file(path)
    import_file(path, ImportOptions(layer="schools"))
    assert distances_m([f"G-{i}" for i in range(3)]).max() < 0.05


def test_the_wrong_provinces_zone_is_warned_about_with_the_zone_to_use(tmp_path):
    """Yên Bái survey points read in Hà Nội's zone (105°00′, not 104°45′) land about 26 km east."""
    path = tmp_path / "truong_hoc.csv"
    lines = ["code,name,school_level,x,y"] + [
        f"Z-{i},Trường {i},thcs,{east},{north}" for i, (east, north) in enumerate(POINTS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(path, ImportOptions(layer="schools", crs="vn2000:ha-noi", dry_run=True))
    warning = report.warnings[-1]
    assert warning.startswith("VN-2000 zone: read in the zone 105°00′ chosen (Hà Nội) the features fall in "
                              "no province of the platform with that zone; read in the zone 104°45′ of "
                              "Yên Bái they fall in Yên Bái, about 26 km away"), warning
    assert warning.endswith("import with --crs vn2000:15")
    right = import_file(path, ImportOptions(layer="schools", crs="vn2000:yen-bai", dry_run=True))
    assert not any(w.startswith("VN-2000 zone") for w in right.warnings)
