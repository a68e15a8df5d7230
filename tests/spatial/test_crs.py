"""parse_crs: the forms importers accept, the VN-2000 binding, and the errors they give."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS, Geod, Transformer
from pyproj.crs import CoordinateOperation

from spatial.crs import CRSError, parse_crs

GEOD = Geod(ellps="WGS84")
ACCEPTED = (
    "give an EPSG code ('EPSG:4326', '4326', 'EPSG:9208'), VN-2000 with a province code or name "
    "('vn2000:15', 'vn2000:yen-bai', 'VN-2000 Yên Bái'), 'vn2000' for VN-2000 latitude/longitude, "
    "or a WKT or PROJ string"
)


EPSG_6960 = Transformer.from_pipeline(CoordinateOperation.from_epsg(6960).to_proj4())


def max_error_m(crs: CRS, zone_epsg: int, easting, northing) -> float:
    """Distance to EPSG's own path: the zone's projection, then operation EPSG:6960 from the database."""
    lon, lat = Transformer.from_crs(zone_epsg, 4756, always_xy=True).transform(easting, northing)
    ref_lat, ref_lon = EPSG_6960.transform(lat, lon)
    got = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(easting, northing)
    return float(np.max(GEOD.inv(*got, ref_lon, ref_lat)[2]))


@pytest.mark.parametrize(
    "text", ["EPSG:4326", "4326", "epsg:4326", " EPSG: 4326 ", "urn:ogc:def:crs:EPSG::4326"]
)
def test_wgs84_forms(text):
    assert parse_crs(text) == CRS.from_epsg(4326)


@pytest.mark.parametrize(
    "text",
    [
        "EPSG:9208",
        "9208",
        "vn2000:yen-bai",
        "vn2000:15",
        "VN-2000 Yên Bái",
        "VN2000/yen bai",
        "vn-2000: Lào Cai",
        "VN-2000 / TM-3 104-45",
    ],
)
def test_vn2000_forms_give_the_104_45_zone_bound_to_the_published_transformation(text):
    crs = parse_crs(text)
    assert crs.is_bound
    assert crs.source_crs == CRS.from_epsg(9208)
    assert crs.to_json_dict()["transformation"]["method"]["id"]["code"] == 9607
    assert max_error_m(crs, 9208, [480_000, 540_000], [2_395_000, 2_410_000]) < 0.05


def test_vn2000_alone_is_geographic_vn2000():
    crs = parse_crs("vn2000")
    assert crs.is_bound and crs.source_crs == CRS.from_epsg(4756)


@pytest.mark.parametrize("code", [5897, 3405])
def test_epsg_vn2000_codes_in_the_mekong_delta_use_the_published_transformation(code):
    # PROJ's own pick there may be EPSG:5194 (Total's Mekong parameters); the binding must win.
    crs = parse_crs(f"EPSG:{code}")
    assert crs.is_bound
    lon, lat = (a.ravel() for a in np.meshgrid(np.linspace(105.5, 106.0, 3), np.linspace(9.9, 10.3, 3)))
    e, n = Transformer.from_crs(4756, code, always_xy=True).transform(lon, lat)
    assert max_error_m(crs, code, e, n) < 0.05


def test_proj_string_with_coordinate_frame_signs_in_towgs84_is_corrected():
    pasted = (
        "+proj=tmerc +lat_0=0 +lon_0=104.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278 "
        "+units=m +no_defs"
    )
    assert max_error_m(parse_crs(pasted), 9208, [500_000], [2_400_000]) < 0.05


def test_esri_prj_of_a_vn2000_zone_is_bound():
    prj = (
        'PROJCS["VN_2000_Yen_Bai_3deg",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",'
        'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
        'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
        'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
        'PARAMETER["Central_Meridian",104.75],PARAMETER["Scale_Factor",0.9999],'
        'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
    )
    crs = parse_crs(prj)
    assert crs.is_bound
    assert max_error_m(crs, 9208, [480_000, 540_000], [2_395_000, 2_410_000]) < 0.05


def test_wkt_is_read():
    crs = parse_crs(CRS.from_epsg(32648).to_wkt())
    assert crs.to_epsg() == 32648


def test_proj_string_without_a_vn2000_datum_is_left_alone():
    crs = parse_crs("+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs")
    assert not crs.is_bound and crs.to_epsg() == 32648


def test_empty_text_is_refused_with_guidance():
    with pytest.raises(CRSError) as caught:
        parse_crs("   ")
    assert str(caught.value) == f"no coordinate reference system given; {ACCEPTED}"


def test_unreadable_text_is_refused_with_guidance():
    with pytest.raises(CRSError) as caught:
        parse_crs("lat/lon please")
    assert str(caught.value) == f"cannot read 'lat/lon please' as a coordinate reference system; {ACCEPTED}"


def test_unknown_epsg_code_is_refused_with_guidance():
    with pytest.raises(CRSError) as caught:
        parse_crs("EPSG:99999")
    assert str(caught.value) == f"EPSG:99999 is not a CRS in the EPSG database; {ACCEPTED}"


def test_unknown_province_is_refused_with_close_matches():
    with pytest.raises(CRSError) as caught:
        parse_crs("vn2000:yen bia")
    assert str(caught.value) == (
        "unknown province 'yen bia': give a 2-digit province code or a name with or without "
        "diacritics, e.g. '15', 'Yên Bái', 'yen-bai'; did you mean Yên Bái?"
    )


@pytest.mark.parametrize(
    "text, described",
    [("EPSG:5773", "'EGM96 height' (Vertical CRS)"), ("EPSG:4978", "'WGS 84' (Geocentric CRS)")],
)
def test_non_horizontal_crs_is_refused(text, described):
    with pytest.raises(CRSError) as caught:
        parse_crs(text)
    assert str(caught.value) == (
        f"{text!r} is {described}; coordinates need a geographic (latitude/longitude) or projected CRS: "
        f"{ACCEPTED}"
    )


def test_crs_error_is_a_value_error_with_status_400():
    assert issubclass(CRSError, ValueError) and CRSError.status == 400
