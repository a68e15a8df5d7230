"""VN-2000 to WGS 84 is EPSG's own operation 6960, and it lands where the hand-built Helmert did."""

from __future__ import annotations

import pytest
from pyproj import CRS, Geod, Transformer
from pyproj.crs import BoundCRS, CoordinateOperation

from spatial import vn2000
from spatial.crs import parse_crs

# Province code -> a point in it (its capital; latitude, longitude on VN-2000), one per TM-3 zone used.
POINTS = {
    "11": (21.3860, 103.0230),  # Điện Biên Phủ, 103°00'
    "96": (9.1769, 105.1524),  # Cà Mau, 104°30'
    "15": (21.7229, 104.9113),  # Yên Bái, 104°45'
    "01": (21.0285, 105.8542),  # Hà Nội, 105°00'
    "79": (10.7769, 106.7009),  # Hồ Chí Minh City, 105°45'
    "20": (21.8537, 106.7615),  # Lạng Sơn, 107°15'
    "22": (20.9517, 107.0800),  # Hạ Long, 107°45'
    "48": (16.0544, 108.2022),  # Đà Nẵng, 107°45'
    "56": (12.2388, 109.1967),  # Nha Trang, 108°15'
    "64": (13.9833, 108.0000),  # Pleiku, 108°30'
}


def hand_built(base: CRS) -> BoundCRS:
    """`base` bound to WGS 84 by the Helmert transformation Toàn Cảnh wrote out itself until #17."""
    def param(name: str, code: int, value: float, unit) -> dict:
        return {"name": name, "value": value, "unit": unit, "id": {"authority": "EPSG", "code": code}}

    arcsec = {"type": "AngularUnit", "name": "arc-second", "conversion_factor": 4.84813681109536e-06}
    ppm = {"type": "ScaleUnit", "name": "parts per million", "conversion_factor": 1e-06}
    operation = CoordinateOperation.from_json_dict({
        "type": "Transformation",
        "name": "VN-2000 to WGS 84 (Decision 05/2007/QĐ-BTNMT)",
        "source_crs": base.geodetic_crs.to_json_dict(),
        "target_crs": CRS.from_epsg(4326).to_json_dict(),
        "method": {"name": "Coordinate Frame rotation (geog2D domain)",
                   "id": {"authority": "EPSG", "code": 9607}},
        "parameters": [
            param("X-axis translation", 8605, -191.90441429, "metre"),
            param("Y-axis translation", 8606, -39.30318279, "metre"),
            param("Z-axis translation", 8607, -111.45032835, "metre"),
            param("X-axis rotation", 8608, -0.00928836, arcsec),
            param("Y-axis rotation", 8609, 0.01975479, arcsec),
            param("Z-axis rotation", 8610, -0.00427372, arcsec),
            param("Scale difference", 8611, 0.252906278, ppm),
        ],
    })
    return BoundCRS(base, CRS.from_epsg(4326), operation)


def test_the_published_transformation_is_epsg_6960():
    operation = vn2000.published_transformation()
    assert operation.to_json_dict()["id"] == {"authority": "EPSG", "code": 6960}
    assert operation.name == "VN-2000 to WGS 84 (2)"


def test_epsg_6960_carries_the_parameters_of_decision_05_2007():
    operation = CoordinateOperation.from_epsg(6960)
    assert operation.method_code == "9607"  # Coordinate Frame rotation
    assert [(p.code, p.value) for p in operation.params] == list(zip(
        ("8605", "8606", "8607", "8608", "8609", "8610", "8611"),
        (*vn2000.TRANSLATION_M, *vn2000.ROTATION_ARCSEC, vn2000.SCALE_PPM), strict=True))


@pytest.mark.parametrize("code", sorted(POINTS))
def test_each_province_zone_lands_within_a_millimetre_of_the_hand_built_pipeline(code):
    lat, lon = POINTS[code]
    province = vn2000.find_province(code)
    easting, northing = Transformer.from_crs(4756, province.epsg, always_xy=True).transform(lon, lat)
    ours = Transformer.from_crs(vn2000.tm3_crs(code), 4326, always_xy=True)
    before = Transformer.from_crs(hand_built(CRS.from_epsg(province.epsg)), 4326, always_xy=True)
    assert ours.definition == before.definition  # the same PROJ pipeline, step by step
    lon_now, lat_now = ours.transform(easting, northing)
    lon_then, lat_then = before.transform(easting, northing)
    _, _, metres = Geod(ellps="WGS84").inv(lon_now, lat_now, lon_then, lat_then)
    assert metres < 0.001


def test_geographic_vn2000_uses_the_same_operation():
    geographic = parse_crs("vn2000")
    assert geographic.to_json_dict()["transformation"]["id"] == {"authority": "EPSG", "code": 6960}
    ours = Transformer.from_crs(geographic, 4326, always_xy=True)
    before = Transformer.from_crs(hand_built(CRS.from_epsg(4756)), 4326, always_xy=True)
    assert ours.definition == before.definition


def test_a_crs_already_bound_by_epsg_6960_is_kept_as_it_is():
    bound = vn2000.tm3_crs("Yên Bái")
    assert vn2000.bind_published(bound) is bound
