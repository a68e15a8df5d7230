"""VN-2000 zones and transformation, checked against references that do not use spatial.vn2000."""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS, Geod, Transformer
from pyproj.transformer import TransformerGroup
from shapely.geometry import Point

from spatial import vn2000

GEOD = Geod(ellps="WGS84")
TOLERANCE_M = 0.05

# Decision 05/2007/QĐ-BTNMT, as printed (coordinate-frame rotations), typed in again for the tests.
DX, DY, DZ = -191.90441429, -39.30318279, -111.45032835
RX, RY, RZ = -0.00928836, 0.01975479, -0.00427372
DS_PPM = 0.252906278

# Yên Bái (TM-3 104°45'): a grid over the province and the window named in the issue.
YEN_BAI_E, YEN_BAI_N = (
    a.ravel() for a in np.meshgrid(np.linspace(420_000, 540_000, 7), np.linspace(2_360_000, 2_470_000, 6))
)
WINDOW_E, WINDOW_N = (
    a.ravel() for a in np.meshgrid(np.linspace(480_000, 540_000, 4), np.linspace(2_395_000, 2_410_000, 4))
)


# --- Reference 1: EPSG's own pipeline (zone projection + operation EPSG:6960), picked by name. ---


def epsg_reference(
    zone_epsg: int, easting: np.ndarray, northing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    group = TransformerGroup(f"EPSG:{zone_epsg}", "EPSG:4326", always_xy=True)
    chosen = [t for t in group.transformers if "VN-2000 to WGS 84 (2)" in t.description]
    assert len(chosen) == 1, [t.description for t in group.transformers]
    return chosen[0].transform(easting, northing)


# --- Reference 2: the EPSG Guidance Note 7-2 formulas in numpy, no PROJ at all. ---

A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)


def tm_inverse(easting: np.ndarray, northing: np.ndarray, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """Transverse Mercator (JHS/Krüger series, GN 7-2 §3.5.3.1) to latitude, longitude in radians."""
    k0, fe, n = 0.9999, 500_000.0, F / (2 - F)
    b = A / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    h = (
        n / 2 - 2 / 3 * n**2 + 37 / 96 * n**3 - 1 / 360 * n**4,
        1 / 48 * n**2 + 1 / 15 * n**3 - 437 / 1440 * n**4,
        17 / 480 * n**3 - 37 / 840 * n**4,
        4397 / 161280 * n**4,
    )
    eta, xi = (easting - fe) / (b * k0), northing / (b * k0)
    xi0 = xi - sum(hi * np.sin(2 * i * xi) * np.cosh(2 * i * eta) for i, hi in enumerate(h, 1))
    eta0 = eta - sum(hi * np.cos(2 * i * xi) * np.sinh(2 * i * eta) for i, hi in enumerate(h, 1))
    beta = np.arcsin(np.sin(xi0) / np.cosh(eta0))
    q = q_prime = np.arcsinh(np.tan(beta))
    e = np.sqrt(E2)
    for _ in range(10):
        q = q_prime + e * np.arctanh(e * np.tanh(q))
    return np.arctan(np.sinh(q)), np.radians(lon0) + np.arcsin(np.tanh(eta0) / np.cos(beta))


def coordinate_frame_helmert(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG method 9607 on the WGS 84 ellipsoid at h = 0; radians in, degrees out."""
    nu = A / np.sqrt(1 - E2 * np.sin(lat) ** 2)
    x, y, z = nu * np.cos(lat) * np.cos(lon), nu * np.cos(lat) * np.sin(lon), (1 - E2) * nu * np.sin(lat)
    rx, ry, rz = np.radians(np.array([RX, RY, RZ]) / 3600)
    m = 1 + DS_PPM * 1e-6
    xt = m * (x + rz * y - ry * z) + DX
    yt = m * (-rz * x + y + rx * z) + DY
    zt = m * (ry * x - rx * y + z) + DZ
    p = np.hypot(xt, yt)
    lat_t = np.arctan2(zt, p * (1 - E2))
    for _ in range(10):
        lat_t = np.arctan2(zt + E2 * A / np.sqrt(1 - E2 * np.sin(lat_t) ** 2) * np.sin(lat_t), p)
    return np.degrees(np.arctan2(yt, xt)), np.degrees(lat_t)


def numpy_reference(lon0: float, easting: np.ndarray, northing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return coordinate_frame_helmert(*tm_inverse(np.asarray(easting), np.asarray(northing), lon0))


def max_distance_m(lon_a, lat_a, lon_b, lat_b) -> float:
    return float(np.max(GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2]))


def to_wgs84(crs: CRS, easting, northing):
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(easting, northing)


# --- Accuracy ---


def test_the_two_references_agree_to_a_millimetre():
    ref = epsg_reference(9208, YEN_BAI_E, YEN_BAI_N)
    assert max_distance_m(*ref, *numpy_reference(104.75, YEN_BAI_E, YEN_BAI_N)) < 0.001


@pytest.mark.parametrize("easting, northing", [(YEN_BAI_E, YEN_BAI_N), (WINDOW_E, WINDOW_N)])
def test_yen_bai_lands_within_5_cm_of_epsg_pipeline_and_numpy_formulas(easting, northing):
    got = to_wgs84(vn2000.tm3_crs("Yên Bái"), easting, northing)
    assert max_distance_m(*got, *epsg_reference(9208, easting, northing)) < TOLERANCE_M
    assert max_distance_m(*got, *numpy_reference(104.75, easting, northing)) < TOLERANCE_M


def test_coordinate_frame_rotations_pasted_into_towgs84_are_about_0_8_m_off():
    # The trap the tests must catch: +towgs84 takes position-vector rotations.
    naive = CRS(
        "+proj=tmerc +lat_0=0 +lon_0=104.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        f"+towgs84={DX},{DY},{DZ},{RX},{RY},{RZ},{DS_PPM} +units=m +no_defs"
    )
    error = max_distance_m(
        *to_wgs84(naive, YEN_BAI_E, YEN_BAI_N), *numpy_reference(104.75, YEN_BAI_E, YEN_BAI_N)
    )
    assert 0.3 < error < 2.0


@pytest.mark.parametrize(
    "province, lon0, zone_epsg, eastings, northings",
    [
        ("Thừa Thiên Huế", 107.0, 9214, (540_000, 600_000), (1_790_000, 1_850_000)),
        ("79", 105.75, 9210, (580_000, 630_000), (1_160_000, 1_230_000)),
        ("ba ria vung tau", 107.75, 5899, (400_000, 460_000), (1_140_000, 1_190_000)),
        ("Hà Nội", 105.0, 5897, (560_000, 600_000), (2_300_000, 2_360_000)),
        ("Cà Mau", 104.5, 9207, (530_000, 590_000), (960_000, 1_040_000)),
        ("Đà Nẵng", 107.75, 5899, (530_000, 560_000), (1_760_000, 1_790_000)),
    ],
)
def test_provinces_on_other_meridians_land_within_5_cm(province, lon0, zone_epsg, eastings, northings):
    e, n = (a.ravel() for a in np.meshgrid(np.linspace(*eastings, 5), np.linspace(*northings, 5)))
    got = to_wgs84(vn2000.tm3_crs(province), e, n)
    assert max_distance_m(*got, *numpy_reference(lon0, e, n)) < TOLERANCE_M
    assert max_distance_m(*got, *epsg_reference(zone_epsg, e, n)) < TOLERANCE_M


def test_geopandas_to_crs_lands_within_5_cm():
    points = gpd.GeoSeries(
        [Point(e, n) for e, n in zip(WINDOW_E, WINDOW_N, strict=True)], crs=vn2000.tm3_crs(15)
    )
    got = points.to_crs("EPSG:4326")
    assert max_distance_m(got.x, got.y, *numpy_reference(104.75, WINDOW_E, WINDOW_N)) < TOLERANCE_M


def test_geographic_crs_lands_within_5_cm():
    lat, lon = tm_inverse(WINDOW_E, WINDOW_N, 104.75)
    got = to_wgs84(vn2000.geographic_crs(), np.degrees(lon), np.degrees(lat))
    assert max_distance_m(*got, *coordinate_frame_helmert(lat, lon)) < TOLERANCE_M


def test_wgs84_to_tm3_lands_within_5_mm_of_the_reference_grid():
    # PROJ applies the inverse Helmert at h = 0, which costs about 1 mm against the forward formulas.
    crs = vn2000.tm3_crs("yen-bai")
    lon, lat = numpy_reference(104.75, WINDOW_E, WINDOW_N)
    e, n = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    assert np.max(np.hypot(e - WINDOW_E, n - WINDOW_N)) < 0.005


@pytest.mark.filterwarnings("ignore:You will likely lose important projection information")
def test_exported_wkt1_and_proj_string_carry_position_vector_signs():
    crs = vn2000.tm3_crs("Yên Bái")
    reference = numpy_reference(104.75, WINDOW_E, WINDOW_N)
    assert f"TOWGS84[{DX},{DY},{DZ},{-RX},{-RY},{-RZ},{DS_PPM}]" in crs.to_wkt("WKT1_GDAL")
    for exported in (crs.to_wkt("WKT1_GDAL"), crs.to_wkt(), crs.to_proj4()):
        assert max_distance_m(*to_wgs84(CRS(exported), WINDOW_E, WINDOW_N), *reference) < TOLERANCE_M


# --- The province table ---


def test_table_holds_the_63_provinces_with_unique_codes():
    assert len(vn2000.PROVINCES) == 63
    assert len({p.code for p in vn2000.PROVINCES}) == 63
    assert len({p.name for p in vn2000.PROVINCES}) == 63


@pytest.mark.parametrize(
    "code, name, meridian",
    [
        ("01", "Hà Nội", 105.0),
        ("06", "Bắc Kạn", 106.5),
        ("10", "Lào Cai", 104.75),
        ("15", "Yên Bái", 104.75),
        ("46", "Thừa Thiên Huế", 107.0),
        ("48", "Đà Nẵng", 107.75),
        ("77", "Bà Rịa - Vũng Tàu", 107.75),
        ("79", "Hồ Chí Minh", 105.75),
    ],
)
def test_circular_973_meridians(code, name, meridian):
    assert vn2000.find_province(code) == vn2000.Province(code, name, meridian)


@pytest.mark.parametrize("province", vn2000.PROVINCES, ids=lambda p: p.code)
def test_every_province_zone_is_the_epsg_tm3_crs_on_its_meridian(province):
    params = {p.name: p.value for p in CRS.from_epsg(province.epsg).coordinate_operation.params}
    assert params["Longitude of natural origin"] == province.meridian
    assert params["Scale factor at natural origin"] == 0.9999
    assert params["False easting"] == 500_000
    assert CRS.from_epsg(province.epsg).datum.name == "Vietnam 2000"
    assert vn2000.tm3_crs(province).source_crs == CRS.from_epsg(province.epsg)


@pytest.mark.parametrize(
    "query, code",
    [
        ("15", "15"),
        (15, "15"),
        ("Yên Bái", "15"),
        ("yen bai", "15"),
        ("yen-bai", "15"),
        ("YENBAI", "15"),
        ("Tỉnh Yên Bái", "15"),
        ("TP HCM", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("Bà Rịa–Vũng Tàu", "77"),
        ("Hoà Bình", "17"),
        ("Huế", "46"),
        ("dak lak", "66"),
        ("6", "06"),
    ],
)
def test_find_province_by_code_or_folded_name(query, code):
    assert vn2000.find_province(query).code == code


def test_unknown_province_suggests_close_matches():
    with pytest.raises(vn2000.UnknownProvinceError) as caught:
        vn2000.find_province("yen bia")
    assert str(caught.value) == (
        "unknown province 'yen bia': give a 2-digit province code or a name with or without "
        "diacritics, e.g. '15', 'Yên Bái', 'yen-bai'; did you mean Yên Bái?"
    )


def test_unknown_province_without_close_match_lists_all():
    with pytest.raises(
        vn2000.UnknownProvinceError, match=r"the provinces are 01 Hà Nội, 02 Hà Giang, .*96 Cà Mau$"
    ):
        vn2000.find_province("03")


# --- Swapped X/Y ---


def test_looks_swapped_detects_survey_order():
    assert vn2000.looks_swapped(2_400_000, 510_000) is True
    assert vn2000.looks_swapped(510_000, 2_400_000) is False
    assert vn2000.looks_swapped([2_400_000, 510_000, 5], [510_000, 2_400_000, 7]).tolist() == [
        True,
        False,
        False,
    ]


def test_easting_northing_swaps_survey_columns_and_keeps_plain_ones():
    x, y = [2_400_100.5, 2_401_000.0], [510_000.25, 511_000.0]
    e, n = vn2000.easting_northing(x, y)
    assert (e.tolist(), n.tolist()) == (y, x)
    e, n = vn2000.easting_northing(y, x)
    assert (e.tolist(), n.tolist()) == (y, x)


def test_easting_northing_refuses_mixed_orders():
    with pytest.raises(ValueError, match=r"mix \(easting, northing\) and \(northing, easting\) order"):
        vn2000.easting_northing([2_400_000, 510_000], [510_000, 2_400_000])


# --- Binding ---


def test_bind_published_refuses_other_datums():
    with pytest.raises(ValueError, match="'WGS 84' is not on the VN-2000 datum"):
        vn2000.bind_published(CRS.from_epsg(4326))


def test_rebinding_a_pasted_towgs84_logs_the_trap(caplog):
    naive = CRS(f"+proj=longlat +ellps=WGS84 +towgs84={DX},{DY},{DZ},{RX},{RY},{RZ},{DS_PPM} +no_defs")
    with caplog.at_level(logging.WARNING, logger="spatial.vn2000"):
        bound = vn2000.bind_published(naive)
    assert "coordinate-frame signs in a position-vector (+towgs84) slot" in caplog.text
    lat, lon = tm_inverse(WINDOW_E, WINDOW_N, 104.75)
    got = to_wgs84(bound, np.degrees(lon), np.degrees(lat))
    assert max_distance_m(*got, *coordinate_frame_helmert(lat, lon)) < TOLERANCE_M
