"""One parser for the coordinate reference systems that importers and APIs are given as text."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError

from spatial import vn2000

logger = logging.getLogger(__name__)

ACCEPTED = (
    "give an EPSG code ('EPSG:4326', '4326', 'EPSG:9208'), VN-2000 with a province code or name "
    "('vn2000:15', 'vn2000:yen-bai', 'VN-2000 Yên Bái'), 'vn2000' for VN-2000 latitude/longitude, "
    "or a WKT or PROJ string"
)


class CRSError(ValueError):
    """The text is not a usable CRS; the message says what is accepted, with examples."""

    status = 400


def _from_epsg(match: re.Match[str], text: str) -> CRS:
    code = int(match["code"])
    try:
        return CRS.from_epsg(code)
    except ProjCRSError:
        raise CRSError(f"EPSG:{code} is not a CRS in the EPSG database; {ACCEPTED}") from None


def _from_province(match: re.Match[str], text: str) -> CRS:
    try:
        return vn2000.tm3_crs(match["province"])
    except vn2000.UnknownProvinceError as exc:
        try:  # an EPSG name such as 'VN-2000 / TM-3 104-45'
            return CRS.from_user_input(text)
        except ProjCRSError:
            raise CRSError(str(exc)) from None


def _vn2000_geographic(match: re.Match[str], text: str) -> CRS:
    return vn2000.geographic_crs()


_VN2000 = r"vn[-_ ]?2000"

# Shorthands tried in order; anything else goes to PROJ (WKT, PROJ strings, URNs, EPSG names).
_SHORTHANDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], CRS]], ...] = (
    (re.compile(r"(?:epsg\s*:\s*)?(?P<code>\d{4,6})", re.IGNORECASE), _from_epsg),
    (re.compile(_VN2000, re.IGNORECASE), _vn2000_geographic),
    (re.compile(_VN2000 + r"\s*(?:[:/]\s*|\s)(?P<province>\S.*)", re.IGNORECASE), _from_province),
)


def _read(text: str) -> CRS:
    for pattern, build in _SHORTHANDS:
        match = pattern.fullmatch(text)
        if match:
            return build(match, text)
    try:
        return CRS.from_user_input(text)
    except ProjCRSError:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise CRSError(f"cannot read {shown!r} as a coordinate reference system; {ACCEPTED}") from None


def parse_crs(text: str) -> CRS:
    """The horizontal CRS named by `text`: an EPSG code, a VN-2000 shorthand, WKT or a PROJ string.

    Every VN-2000 CRS comes back bound to WGS 84 with the published transformation of Decision
    05/2007/QĐ-BTNMT, so EPSG:9208 input lands where the survey put it rather than where PROJ's
    own choice among the candidate transformations would.

    >>> parse_crs("vn2000:yen-bai").source_crs.name
    'VN-2000 / TM-3 104-45'
    """
    stripped = str(text).strip()
    if not stripped:
        raise CRSError(f"no coordinate reference system given; {ACCEPTED}")
    crs = _read(stripped)
    if crs.is_geocentric or not (crs.is_geographic or crs.is_projected):
        raise CRSError(
            f"{stripped!r} is {crs.name!r} ({crs.type_name}); coordinates need a geographic "
            f"(latitude/longitude) or projected CRS: {ACCEPTED}"
        )
    if vn2000.is_vn2000(crs):
        return vn2000.bind_published(crs)
    return crs
