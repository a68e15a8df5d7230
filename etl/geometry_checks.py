"""Geometry checks of an import: CRS, axis order, validity (repair or reject), type, Vietnam."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Transformer

from etl.errors import SourceError
from etl.report import Problem
from etl.targets import Target
from spatial import vn2000
from spatial.vietnam import inside_vietnam

WGS84 = CRS.from_epsg(4326)
POLYGONAL, LINEAL = (3, 6), (1, 5)  # shapely type ids: polygon/multipolygon, linestring/multi


def check_crs(crs: CRS | None, geometries: np.ndarray, file_name: str) -> CRS:
    """The CRS to read the coordinates in; clear errors when it is missing or cannot be right."""
    if crs is None:
        raise SourceError(
            f"{file_name}: declares no coordinate reference system; pass --crs, "
            "e.g. --crs EPSG:4326 or --crs vn2000:yen-bai (VN-2000 TM-3 of a province)"
        )
    present = geometries[~shapely.is_missing(geometries)]
    if crs.is_geographic and len(present):
        xmin, ymin, xmax, ymax = shapely.total_bounds(present)
        if max(abs(ymin), abs(ymax)) > 90 >= max(abs(xmin), abs(xmax)):
            raise SourceError(
                f"{file_name}: y={ymax:.5f} is not a latitude: the coordinates look like (lat, lon); "
                "GIS files and lon/lat columns put the longitude first"
            )
        if max(abs(xmin), abs(xmax)) > 180 or max(abs(ymin), abs(ymax)) > 90:
            raise SourceError(
                f"{file_name}: coordinates such as x={xmax:.0f} are not degrees, but the CRS is "
                f"geographic ({crs.name}); the data look projected: pass the right CRS with --crs, "
                "e.g. --crs vn2000:yen-bai"
            )
    return vn2000.bind_published(crs) if vn2000.is_vn2000(crs) else crs


def fix_vn2000_axes(geometries: np.ndarray, crs: CRS, warnings: list[str]) -> np.ndarray:
    """Swap x/y when VN-2000 TM-3 data were written Vietnamese-style (X = northing)."""
    if crs.is_projected and "VN-2000" in crs.name:
        present = geometries[~shapely.is_missing(geometries)]
        if len(present):
            coords = shapely.get_coordinates(present)
            if vn2000.looks_swapped(coords[:, 0], coords[:, 1]).all():
                warnings.append("X and Y were northing and easting (Vietnamese survey order); swapped")
                return shapely.transform(geometries, lambda xy: xy[:, ::-1])
    return geometries


def _repair(geometry: shapely.Geometry, type_ids: tuple[int, ...]) -> shapely.Geometry | None:
    fixed = shapely.make_valid(geometry)
    if shapely.get_type_id(fixed) == 7:  # a collection: keep the parts of the wanted dimension
        parts = [p for p in shapely.get_parts(fixed) if shapely.get_type_id(p) in type_ids]
        fixed = shapely.union_all(parts) if parts else None
    return fixed if fixed is not None and not fixed.is_empty else None


def _check_validity(geometries: np.ndarray, missing: np.ndarray, accepted: tuple[str, ...], repair: bool,
                    problems: list[Problem], warnings: list[str]) -> None:
    """Refuse invalid shapes with GEOS's reason, or repair them (in place) when asked."""
    type_ids = POLYGONAL if "Polygon" in accepted else LINEAL if "LineString" in accepted else (0, 4)
    repaired = 0
    for index in np.flatnonzero(~missing & ~shapely.is_valid(geometries)):
        reason = shapely.is_valid_reason(geometries[index])
        if repair and (fixed := _repair(geometries[index], type_ids)) is not None:
            geometries[index] = fixed
            repaired += 1
        else:
            hint = "" if repair else "; rerun with --repair to fix it with make_valid"
            problems.append(Problem(int(index + 1), f"invalid geometry: {reason}{hint}", "geometry"))
            missing[index] = True
    if repaired:
        warnings.append(f"{repaired} invalid geometries were repaired with make_valid")


def check_geometries(
    geometries: np.ndarray, crs: CRS, target: Target, repair: bool,
    problems: list[Problem], warnings: list[str], explained: set[int] | frozenset = frozenset(),
) -> np.ndarray:
    """Validate, repair when asked, reproject to EPSG:4326 and promote to multi-geometries. Rows in
    `explained` (e.g. text in a coordinate column) already have a problem saying why they lack a shape."""
    rows = np.arange(1, len(geometries) + 1)
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    problems.extend(Problem(int(r), "missing geometry: the row has no shape", "geometry")
                    for r in rows[missing] if int(r) not in explained)
    if shapely.has_z(geometries[~missing]).any():
        warnings.append("Z coordinates were dropped (the platform stores 2D)")
        geometries = shapely.force_2d(geometries)
    accepted = target.accepted_geometry_types
    _check_validity(geometries, missing, accepted, repair, problems, warnings)
    if not crs.equals(WGS84):
        transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
        geometries = shapely.transform(geometries, lambda xy: np.column_stack(transformer.transform(
            xy[:, 0], xy[:, 1])))
    kinds = shapely.get_type_id(geometries)
    wrong_type = ~missing & ~np.isin(kinds, [_TYPE_IDS[name] for name in accepted])
    for index in np.flatnonzero(wrong_type):
        problems.append(Problem(int(index + 1), f"wrong geometry type: {geometries[index].geom_type}, "
                                f"layer {target.name} takes {' or '.join(accepted)}", "geometry"))
    outside = ~missing & ~wrong_type & ~inside_vietnam(geometries)
    for index in np.flatnonzero(outside):
        x, y = shapely.get_coordinates(geometries[index])[0]
        problems.append(Problem(int(index + 1), f"outside Vietnam: a point lies at lon {x:.5f}, "
                                f"lat {y:.5f}; check the CRS and the axis order", "geometry"))
    if target.geometry_type and target.geometry_type.startswith("Multi"):
        for type_id, make_multi in _MULTI.items():
            single = shapely.get_type_id(geometries) == type_id
            if single.any():
                geometries[single] = make_multi(geometries[single], indices=np.arange(single.sum()))
    return geometries


_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPoint": 4, "MultiLineString": 5,
             "MultiPolygon": 6}
_MULTI = {0: shapely.multipoints, 1: shapely.multilinestrings, 3: shapely.multipolygons}
