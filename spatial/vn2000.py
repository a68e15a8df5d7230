"""VN-2000: provincial TM-3 zones and the published transformation to WGS 84.

Sources: the 7 parameters are those of Decision 05/2007/QĐ-BTNMT, which EPSG publishes as operation 6960
"VN-2000 to WGS 84 (2)" (method Coordinate Frame rotation, EPSG 9607); PROJ's copy of that operation is
the one used (tests/spatial/test_crs_epsg_operation.py checks its parameters against the Decision's).
Central meridians are those of Circular 973/2001/TT-TCĐC (as amended for the provinces created in 2004
and the 2008 Hà Nội merger); the province codes are the General Statistics Office codes of the 63 units
in force until 1 July 2025, which are the units survey data are labelled with. TM-3 zones: lat_0 0,
k 0.9999, x_0 500 000 m, y_0 0, WGS 84 ellipsoid.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS
from pyproj.crs import BoundCRS, CoordinateOperation

logger = logging.getLogger(__name__)

VN2000_DATUM_EPSG = 6756
VN2000_GEOGRAPHIC_EPSG = 4756
PUBLISHED_TRANSFORMATION_EPSG = 6960

# Decision 05/2007/QĐ-BTNMT, VN-2000 -> WGS 84 (EPSG:6960's parameters; used to recognise CRSs that carry
# them). The rotations are in the COORDINATE FRAME convention: PROJ's +towgs84 and WKT1 TOWGS84 expect
# POSITION VECTOR rotations (signs flipped).
TRANSLATION_M = (-191.90441429, -39.30318279, -111.45032835)
ROTATION_ARCSEC = (-0.00928836, 0.01975479, -0.00427372)
SCALE_PPM = 0.252906278

# Plain-coordinate ranges (metres) of VN-2000 TM-3 coordinates on the mainland and near islands.
EASTING_RANGE = (200_000.0, 800_000.0)
NORTHING_RANGE = (900_000.0, 2_650_000.0)


class UnknownProvinceError(ValueError):
    """The text names none of the 63 provinces; the message lists the closest ones."""

    status = 400

    def __init__(self, query: str, suggestions: list[str]) -> None:
        if suggestions:
            hint = f"did you mean {' or '.join(suggestions)}?"
        else:
            hint = "the provinces are " + ", ".join(f"{p.code} {p.name}" for p in PROVINCES)
        super().__init__(
            f"unknown province {query!r}: give a 2-digit province code or a name with or without "
            f"diacritics, e.g. '15', 'Yên Bái', 'yen-bai'; {hint}"
        )
        self.query = query


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    meridian: float  # central meridian of the TM-3 zone, decimal degrees

    @property
    def epsg(self) -> int:
        """EPSG code of the unbound 'VN-2000 / TM-3' projected CRS on this province's meridian."""
        return _TM3_EPSG[self.meridian]


def _dm(degrees: int, minutes: int) -> float:
    return degrees + minutes / 60


PROVINCES: tuple[Province, ...] = (
    Province("01", "Hà Nội", _dm(105, 0)),
    Province("02", "Hà Giang", _dm(105, 30)),
    Province("04", "Cao Bằng", _dm(105, 45)),
    Province("06", "Bắc Kạn", _dm(106, 30)),
    Province("08", "Tuyên Quang", _dm(106, 0)),
    Province("10", "Lào Cai", _dm(104, 45)),
    Province("11", "Điện Biên", _dm(103, 0)),
    Province("12", "Lai Châu", _dm(103, 0)),
    Province("14", "Sơn La", _dm(104, 0)),
    Province("15", "Yên Bái", _dm(104, 45)),
    Province("17", "Hòa Bình", _dm(106, 0)),
    Province("19", "Thái Nguyên", _dm(106, 30)),
    Province("20", "Lạng Sơn", _dm(107, 15)),
    Province("22", "Quảng Ninh", _dm(107, 45)),
    Province("24", "Bắc Giang", _dm(107, 0)),
    Province("25", "Phú Thọ", _dm(104, 45)),
    Province("26", "Vĩnh Phúc", _dm(105, 0)),
    Province("27", "Bắc Ninh", _dm(105, 30)),
    Province("30", "Hải Dương", _dm(105, 30)),
    Province("31", "Hải Phòng", _dm(105, 45)),
    Province("33", "Hưng Yên", _dm(105, 30)),
    Province("34", "Thái Bình", _dm(105, 30)),
    Province("35", "Hà Nam", _dm(105, 0)),
    Province("36", "Nam Định", _dm(105, 30)),
    Province("37", "Ninh Bình", _dm(105, 0)),
    Province("38", "Thanh Hóa", _dm(105, 0)),
    Province("40", "Nghệ An", _dm(104, 45)),
    Province("42", "Hà Tĩnh", _dm(105, 30)),
    Province("44", "Quảng Bình", _dm(106, 0)),
    Province("45", "Quảng Trị", _dm(106, 15)),
    Province("46", "Thừa Thiên Huế", _dm(107, 0)),
    Province("48", "Đà Nẵng", _dm(107, 45)),
    Province("49", "Quảng Nam", _dm(107, 45)),
    Province("51", "Quảng Ngãi", _dm(108, 0)),
    Province("52", "Bình Định", _dm(108, 15)),
    Province("54", "Phú Yên", _dm(108, 30)),
    Province("56", "Khánh Hòa", _dm(108, 15)),
    Province("58", "Ninh Thuận", _dm(108, 15)),
    Province("60", "Bình Thuận", _dm(108, 30)),
    Province("62", "Kon Tum", _dm(107, 30)),
    Province("64", "Gia Lai", _dm(108, 30)),
    Province("66", "Đắk Lắk", _dm(108, 30)),
    Province("67", "Đắk Nông", _dm(108, 30)),
    Province("68", "Lâm Đồng", _dm(107, 45)),
    Province("70", "Bình Phước", _dm(106, 15)),
    Province("72", "Tây Ninh", _dm(105, 30)),
    Province("74", "Bình Dương", _dm(105, 45)),
    Province("75", "Đồng Nai", _dm(107, 45)),
    Province("77", "Bà Rịa - Vũng Tàu", _dm(107, 45)),
    Province("79", "Hồ Chí Minh", _dm(105, 45)),
    Province("80", "Long An", _dm(105, 45)),
    Province("82", "Tiền Giang", _dm(105, 45)),
    Province("83", "Bến Tre", _dm(105, 45)),
    Province("84", "Trà Vinh", _dm(105, 30)),
    Province("86", "Vĩnh Long", _dm(105, 30)),
    Province("87", "Đồng Tháp", _dm(105, 0)),
    Province("89", "An Giang", _dm(104, 45)),
    Province("91", "Kiên Giang", _dm(104, 30)),
    Province("92", "Cần Thơ", _dm(105, 0)),
    Province("93", "Hậu Giang", _dm(105, 0)),
    Province("94", "Sóc Trăng", _dm(105, 30)),
    Province("95", "Bạc Liêu", _dm(105, 0)),
    Province("96", "Cà Mau", _dm(104, 30)),
)

# Other spellings in common use, keyed by province code.
_ALIASES: dict[str, tuple[str, ...]] = {
    "06": ("Bắc Cạn",),
    "46": ("Huế",),
    "66": ("Đắc Lắc", "Dak Lak"),
    "67": ("Đắc Nông",),
    "77": ("Vũng Tàu", "BRVT"),
    "79": ("HCM", "TPHCM", "Sài Gòn", "Ho Chi Minh City"),
}

# EPSG's unbound "VN-2000 / TM-3" projected CRSs, by central meridian.
_TM3_EPSG: dict[float, int] = {
    _dm(103, 0): 9205,
    _dm(104, 0): 9206,
    _dm(104, 30): 9207,
    _dm(104, 45): 9208,
    _dm(105, 0): 5897,
    _dm(105, 30): 9209,
    _dm(105, 45): 9210,
    _dm(106, 0): 9211,
    _dm(106, 15): 9212,
    _dm(106, 30): 9213,
    _dm(107, 0): 9214,
    _dm(107, 15): 9215,
    _dm(107, 30): 9216,
    _dm(107, 45): 5899,
    _dm(108, 0): 5898,
    _dm(108, 15): 9217,
    _dm(108, 30): 9218,
}

_PREFIXES = (("thanh", "pho"), ("tp",), ("tinh",))


def _key(text: str) -> str:
    """Fold case, diacritics, spaces, hyphens and a leading 'tỉnh'/'thành phố'/'TP' away."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    for prefix in _PREFIXES:
        if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
            words = words[len(prefix) :]
            break
    return "".join(words)


def _index() -> dict[str, Province]:
    by_code = {p.code: p for p in PROVINCES}
    index = {_key(p.name): p for p in PROVINCES}
    for code, names in _ALIASES.items():
        index.update({_key(name): by_code[code] for name in names})
    index.update(by_code)
    return index


_INDEX = _index()


def find_province(query: str | int) -> Province:
    """The province named by a code ('15', 15) or a name ('Yên Bái', 'yen bai', 'YENBAI')."""
    text = str(query).strip()
    key = text.zfill(2) if text.isdigit() else _key(text)
    try:
        return _INDEX[key]
    except KeyError:
        names = {_key(p.name): p.name for p in PROVINCES}
        close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
        raise UnknownProvinceError(text, [names[k] for k in close]) from None


@lru_cache(maxsize=1)
def _epsg_transformation() -> CoordinateOperation:
    return CoordinateOperation.from_epsg(PUBLISHED_TRANSFORMATION_EPSG)


def published_transformation(source: CRS | None = None) -> CoordinateOperation:
    """The Decision 05/2007 VN-2000 -> WGS 84 transformation: EPSG:6960, a Coordinate Frame Helmert.

    `source` is the geodetic CRS it starts from (default EPSG:4756, VN-2000 latitude/longitude, which is
    EPSG:6960's own); another one gets the same parameters from it.
    """
    operation = _epsg_transformation()
    if source is None or source == CRS.from_epsg(VN2000_GEOGRAPHIC_EPSG):
        return operation
    definition = operation.to_json_dict()
    definition["source_crs"] = source.to_json_dict()
    del definition["id"]  # no longer EPSG's operation as published, only its parameters
    return CoordinateOperation.from_json_dict(definition)


def _has_vn2000_datum(crs: CRS) -> bool:
    datum = crs.datum
    if datum is None:
        return False
    ident = datum.to_json_dict().get("id", {})
    return ident.get("authority") == "EPSG" and ident.get("code") == VN2000_DATUM_EPSG


def _bound_parameters(crs: CRS) -> dict[int, float]:
    """EPSG parameter code -> value of a bound CRS's transformation to WGS 84 (empty if unbound)."""
    if not crs.is_bound:
        return {}
    params = crs.to_json_dict().get("transformation", {}).get("parameters", [])
    return {p["id"]["code"]: p["value"] for p in params if p.get("id", {}).get("authority") == "EPSG"}


def _carries_published_translation(crs: CRS) -> bool:
    params = _bound_parameters(crs)
    codes = (8605, 8606, 8607)
    return all(abs(params.get(code, 0.0) - t) < 1e-3 for code, t in zip(codes, TRANSLATION_M, strict=True))


def is_vn2000(crs: CRS) -> bool:
    """True for a CRS on the VN-2000 datum, or one bound to WGS 84 with the published translations."""
    base = crs.source_crs if crs.is_bound else crs
    if base is None or base.is_compound or not (base.is_geographic or base.is_projected):
        return False
    return _has_vn2000_datum(base) or _carries_published_translation(crs)


def _is_published(crs: CRS) -> bool:
    """True for a CRS bound to WGS 84 by EPSG:6960's Coordinate Frame Helmert (parameters compared)."""
    published = dict(zip((8605, 8606, 8607, 8608, 8609, 8610, 8611),
                         (*TRANSLATION_M, *ROTATION_ARCSEC, SCALE_PPM), strict=True))
    return _method_and_rotations(crs)[0] == 9607 and _bound_parameters(crs) == published


def _method_and_rotations(crs: CRS) -> tuple[int | None, tuple[float | None, ...]]:
    params = _bound_parameters(crs)
    method = crs.to_json_dict()["transformation"]["method"].get("id", {}).get("code") if params else None
    return method, tuple(params.get(code) for code in (8608, 8609, 8610))


def _note_replaced(crs: CRS) -> None:
    method, rotations = _method_and_rotations(crs)
    flipped = tuple(-r for r in ROTATION_ARCSEC)
    if method is None or (method, rotations) in {(9607, ROTATION_ARCSEC), (9606, flipped)}:
        return
    if method == 9606 and rotations == ROTATION_ARCSEC:
        logger.warning(
            "CRS %r carries the VN-2000 rotations with coordinate-frame signs in a position-vector "
            "(+towgs84) slot, about 0.8 m off; using the published transformation instead",
            crs.name,
        )
    else:
        logger.warning("CRS %r: its transformation to WGS 84 is replaced by Decision 05/2007's", crs.name)


def bind_published(crs: CRS) -> CRS:
    """`crs` (a VN-2000 CRS, bound or not) bound to WGS 84 with the published transformation."""
    if not is_vn2000(crs):
        raise ValueError(f"{crs.name!r} is not on the VN-2000 datum; only VN-2000 CRSs can be bound to it")
    if _is_published(crs):
        return crs
    _note_replaced(crs)
    base = crs.source_crs if crs.is_bound else crs
    return BoundCRS(base, CRS.from_epsg(4326), published_transformation(base.geodetic_crs))


@lru_cache(maxsize=1)
def geographic_crs() -> CRS:
    """VN-2000 latitude/longitude (EPSG:4756) bound to WGS 84 with the published transformation."""
    return bind_published(CRS.from_epsg(VN2000_GEOGRAPHIC_EPSG))


@lru_cache(maxsize=32)
def _tm3_for_meridian(meridian: float) -> CRS:
    return bind_published(CRS.from_epsg(_TM3_EPSG[meridian]))


def tm3_crs(province: str | int | Province) -> CRS:
    """VN-2000 / TM-3 of a province (code or name), bound to WGS 84 with the published transformation.

    >>> tm3_crs("Yên Bái").source_crs.name
    'VN-2000 / TM-3 104-45'
    """
    found = province if isinstance(province, Province) else find_province(province)
    return _tm3_for_meridian(found.meridian)


def _within(values: NDArray[np.float64], bounds: tuple[float, float]) -> NDArray[np.bool_]:
    return (values >= bounds[0]) & (values <= bounds[1])


def looks_swapped(x: ArrayLike, y: ArrayLike) -> bool | NDArray[np.bool_]:
    """True where (x, y) is (northing, easting), as Vietnamese survey tables label them X and Y."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    swapped = _within(xs, NORTHING_RANGE) & _within(ys, EASTING_RANGE)
    return bool(swapped) if swapped.ndim == 0 else swapped


def easting_northing(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Columns (x, y) in (easting, northing) order, swapped when they are in survey (N, E) order.

    The decision is per column pair, never per row; mixed orders are refused.
    """
    xs, ys = np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))
    swapped = looks_swapped(xs, ys)
    in_order = _within(xs, EASTING_RANGE) & _within(ys, NORTHING_RANGE)
    if swapped.any() and in_order.any():
        rows = np.flatnonzero(swapped)[:5].tolist()
        raise ValueError(
            f"coordinate columns mix (easting, northing) and (northing, easting) order (swapped rows "
            f"{rows}...); fix those rows or split the file so each has one order"
        )
    return (ys, xs) if swapped.any() else (xs, ys)
