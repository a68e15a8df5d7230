"""Reading a GeoJSON feature from a request body, in EPSG:4326 or the CRS named by Content-Crs."""

from __future__ import annotations

import json

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from pyproj import CRS, Transformer
from shapely.geometry import shape

from spatial import vn2000
from spatial.crs import CRSError, parse_crs
from spatial.errors import BadRequest

LON_LAT = CRS.from_user_input("OGC:CRS84")
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
MAX_BODY = 5 * 1024 * 1024


def read_feature(body: bytes) -> dict:
    """The JSON body as a GeoJSON Feature (or a {"properties": …} patch)."""
    if len(body) > MAX_BODY:
        raise BadRequest(f"the body is larger than {MAX_BODY // 1024 // 1024} MB")
    try:
        document = json.loads(body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not JSON ({exc})") from None
    if not isinstance(document, dict):
        raise BadRequest('send a GeoJSON Feature: {"type": "Feature", "geometry": …, "properties": {…}}')
    if not isinstance(document.get("properties", {}), dict):
        raise BadRequest("properties must be a JSON object")
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
        raise BadRequest("geometry must be a GeoJSON geometry object")
    try:
        parsed = shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
        raise BadRequest(f"geometry is not valid GeoJSON ({exc})") from None
    if parsed.is_empty:
        raise BadRequest("geometry is empty")
    if crs is not None:
        transformer = Transformer.from_crs(crs, LON_LAT)  # input in the CRS's own axis order
        parsed = shapely.transform(
            parsed, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    return GEOSGeometry(parsed.wkt, srid=4326)
