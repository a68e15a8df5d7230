"""Reading a GeoJSON feature from a request body, in EPSG:4326 or the CRS named by Content-Crs."""

from __future__ import annotations

import json

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from pyproj import CRS, Transformer
from shapely.geometry import shape

from services.editing.media import FEATURE_BODY_LIMIT
from spatial import vn2000
from spatial.crs import CRSError, parse_crs
from spatial.errors import BadRequest, PayloadTooLarge
from spatial.params import text_problem

LON_LAT = CRS.from_user_input("OGC:CRS84")
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
MAX_BODY = FEATURE_BODY_LIMIT
GEOMETRY_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                            "GeometryCollection"})


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _check_texts(document: dict) -> None:
    """Refuse text PostgreSQL cannot store (NUL, lone surrogates), naming where it is; coordinates
    hold numbers only and are checked as geometry."""
    stack: list[tuple[object, str]] = [(value, key) for key, value in document.items() if key != "geometry"]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            stack.extend((key, where) for key in value)
            stack.extend((item, f"{where}.{key}") for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, where) for item in value)
        elif (problem := text_problem(value)) is not None:
            raise BadRequest(f"{where}: văn bản không lưu được ({problem})", f"{where}: the text {problem}")


def read_feature(body: bytes) -> dict:
    """The JSON body as a GeoJSON Feature (or a {"properties": …} patch)."""
    if len(body) > MAX_BODY:
        raise PayloadTooLarge(f"nội dung gửi lớn hơn {MAX_BODY // 1024 // 1024} MB",
                              f"the body is larger than {MAX_BODY // 1024 // 1024} MB")
    try:
        document = json.loads(body or b"null", parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"nội dung gửi không phải JSON ({exc})", f"the body is not JSON ({exc})") from None
    except RecursionError:
        raise BadRequest("nội dung lồng mảng hay đối tượng quá sâu để là một đối tượng GeoJSON",
                         "the body nests arrays or objects too deeply to be a GeoJSON feature") from None
    if not isinstance(document, dict):
        raise BadRequest('hãy gửi một GeoJSON Feature: {"type": "Feature", "geometry": …, "properties": {…}}',
                         'send a GeoJSON Feature: {"type": "Feature", "geometry": …, "properties": {…}}')
    _check_texts(document)
    if not isinstance(document.get("properties", {}), dict):
        raise BadRequest("properties phải là một đối tượng JSON", "properties must be a JSON object")
    return document


def content_crs(header: str | None) -> CRS | None:
    """The CRS of the body's coordinates from Content-Crs (e.g. <…/EPSG/0/9208>); None is CRS84."""
    if not header:
        return None
    text = header.strip().strip("<>")
    if text == CRS84:
        return None
    try:
        crs = parse_crs(text)
    except CRSError as exc:
        raise BadRequest(f"Content-Crs: {exc}") from None
    return vn2000.bind_published(crs) if vn2000.is_vn2000(crs) else crs


def read_geometry(geometry: object, crs: CRS | None) -> GEOSGeometry:
    """A GeoJSON geometry in `crs` (its own axis order; None: lon/lat) as EPSG:4326 with x = lon."""
    if not isinstance(geometry, dict):
        raise BadRequest("geometry phải là một hình GeoJSON", "geometry must be a GeoJSON geometry object")
    if geometry.get("type") not in GEOMETRY_TYPES:
        raise BadRequest(f"geometry: kiểu «{geometry.get('type')}» không phải kiểu hình GeoJSON; "
                         f"dùng một trong {', '.join(sorted(GEOMETRY_TYPES))}",
                         f"geometry: type {geometry.get('type')!r} is not a GeoJSON geometry type; "
                         f"use one of {', '.join(sorted(GEOMETRY_TYPES))}")
    try:
        parsed = shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError,
            shapely.errors.ShapelyError) as exc:
        raise BadRequest(f"geometry không phải GeoJSON hợp lệ ({type(exc).__name__}: {str(exc)[:200]})",
                         f"geometry is not valid GeoJSON ({type(exc).__name__}: {str(exc)[:200]})") from None
    if parsed.is_empty:
        raise BadRequest("geometry rỗng", "geometry is empty")
    if not np.isfinite(shapely.get_coordinates(parsed)).all():
        raise BadRequest("geometry: mọi tọa độ phải là số hữu hạn",
                         "geometry: every coordinate must be a finite number")
    if crs is not None:
        transformer = Transformer.from_crs(crs, LON_LAT)  # input in the CRS's own axis order
        parsed = shapely.transform(
            parsed, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    return GEOSGeometry(parsed.wkt, srid=4326)
