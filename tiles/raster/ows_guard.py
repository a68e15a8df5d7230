"""Client errors MapProxy 7 mishandles: reject malformed values before it, give its exceptions a 4xx.

MapProxy raises an uncaught ValueError (→ 500 "internal error") for a non-numeric BBOX, WIDTH,
tile index, VERSION, CRS code or BGCOLOR (and for non-ASCII digits, which it reads from the raw
query as Latin-1), answers a path it does not route with "internal error: invalid request" (500),
and sends WMS exception reports with status 500. Our only source is the local COG,
which never raises MapProxy's SourceError, so an OGC exception report from MapProxy always
describes the request; genuine failures stay plain-text 500s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from django.http import HttpResponse, QueryDict

from spatial.errors import BadRequest

Check = Callable[[str], str | None]  # the problem with a value, or None when it is fine


def _bbox(value: str) -> str | None:
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts] if value.isascii() else []
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        return f"{value!r} is not four finite numbers minx,miny,maxx,maxy"
    if numbers[0] >= numbers[2] or numbers[1] >= numbers[3]:
        return f"{value!r} is empty: minx must be below maxx and miny below maxy"
    return None


# ASCII digits: MapProxy reads others ('١', '²') from the raw query as Latin-1 garbage, then fails
WHOLE = re.compile(r"\+?[0-9]{1,9}")
TILE_INDEX = re.compile(r"[0-9]+")


def _whole(minimum: int) -> Check:
    def check(value: str) -> str | None:
        if not WHOLE.fullmatch(value.strip()) or int(value) < minimum:
            return f"{value!r} is not a whole number ≥ {minimum}"
        return None

    return check


def _pattern(pattern: str, expected: str) -> Check:
    compiled = re.compile(pattern)

    def check(value: str) -> str | None:
        return None if compiled.fullmatch(value) else f"{value!r} is not {expected}"

    return check


_VERSION = _pattern(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", "a version such as 1.3.0")
_CRS = _pattern(r"[A-Za-z]+:[0-9]{1,9}", "a CRS such as EPSG:3857")
PARAMETER_CHECKS: dict[str, Check] = {
    "bbox": _bbox, "width": _whole(1), "height": _whole(1),
    "i": _whole(0), "j": _whole(0), "x": _whole(0), "y": _whole(0),
    "tilematrix": _whole(0), "tilerow": _whole(0), "tilecol": _whole(0),
    "version": _VERSION, "wmtver": _VERSION, "crs": _CRS, "srs": _CRS,
    "bgcolor": _pattern(r"0[xX][0-9A-Fa-f]{6}", "a colour 0xRRGGBB such as 0xFFFFFF"),
}
# /wmts/<layer>/<grid>/<z>/<x>/<y>.<ext> and /tiles/<layer>/<grid>/<z>/<x>/<y>.<ext>
REST_TILE = re.compile(r"(?:wmts|tiles)/[^/]+/[^/]+/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.\w+")
# OGC exception code in MapProxy's report → HTTP status (others: 400)
EXCEPTION_STATUS = {"LayerNotDefined": 404, "TileOutOfRange": 404}
EXCEPTION_CODE = re.compile(rb'(?:code|exceptionCode)="(?P<code>[A-Za-z]+)"')
REPORTS = (b"ExceptionReport", b"WMTException")  # OGC exception reports; WMTException: WMS 1.0
UNROUTED = b"internal error: invalid request ("  # MapProxy's answer to a path it has no route for


def check_request(path: str, params: QueryDict) -> None:
    """Raise BadRequest naming the first malformed parameter or tile index of a MapProxy request."""
    for name, values in params.lists():
        check = PARAMETER_CHECKS.get(name.lower())
        if check is None:
            continue
        for value in values:  # every one: MapProxy reads the first of a repeated parameter, Django the last
            if problem := check(value):
                raise BadRequest(f"{name}: {problem}")
    tile = REST_TILE.fullmatch(path)
    if tile and not all(TILE_INDEX.fullmatch(part) for part in tile.group("z", "x", "y")):
        raise BadRequest(f"/{path}: z, x and y must be whole numbers, e.g. "
                         "/mapproxy/tiles/orthophoto/webmercator/14/12966/7178.png")


def with_client_status(response: HttpResponse) -> HttpResponse:
    """`response`, with status 400/404 instead of 500 when its body is an OGC exception report, and
    404 when MapProxy has no route for the path."""
    if response.status_code != 500:
        return response
    body = response.content
    if body.startswith(UNROUTED):
        response.status_code = 404
        return response
    if "xml" not in response.get("Content-Type", "") or not any(report in body for report in REPORTS):
        return response
    found = EXCEPTION_CODE.search(body)
    response.status_code = EXCEPTION_STATUS.get(found.group("code").decode() if found else "", 400)
    return response
