"""A sanity check of a VN-2000 TM-3 zone: read in the zone chosen, do the features fall in a
province of the platform that uses that zone? If not, and another zone puts them in its province,
say so (a neighbouring province's zone puts data some 26 km off, silently otherwise)."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from layers.models import AdminUnit
from spatial import vn2000

SAMPLE = 500
WGS84 = CRS.from_epsg(4326)


def _meridian(crs: CRS) -> float | None:
    base = crs.source_crs if crs.is_bound else crs
    operation = base.coordinate_operation if base is not None and base.is_projected else None
    for param in operation.params if operation else ():
        if param.name == "Longitude of natural origin":
            return round(param.value, 6)
    return None


def _dms(meridian: float) -> str:
    degrees, minutes = int(meridian), round((meridian - int(meridian)) * 60)
    return f"{degrees}°{minutes:02d}′"


def _provinces() -> list[tuple[vn2000.Province, shapely.Geometry]]:
    """The platform's province units with the VN-2000 province of their name (older units first)."""
    found = []
    units = AdminUnit.objects.filter(level="province").order_by("valid_from")
    for name, geom in units.values_list("name", "geom"):
        try:
            found.append((vn2000.find_province(name), shapely.from_wkb(bytes(geom.wkb))))
        except vn2000.UnknownProvinceError:
            continue
    return found


def _inside(points: np.ndarray, province: shapely.Geometry) -> int:
    return int(shapely.intersects(province, points).sum())


def zone_warning(source_points: np.ndarray, crs: CRS, chosen: str | None) -> str | None:
    """A warning when the features, read in `crs` (a VN-2000 TM-3 zone), fall in none of the
    platform's provinces of that zone while another zone puts most of them in its province.
    `source_points` are representative points in `crs`; `chosen` is the text the zone was given by."""
    meridian = _meridian(crs)
    if meridian is None or not len(source_points):
        return None
    points = source_points[:SAMPLE]
    provinces = _provinces()
    if not provinces:
        return None
    read = _to_wgs84(points, crs)
    same_zone = [geom for p, geom in provinces if round(p.meridian, 6) == meridian]
    if any(_inside(read, geom) * 2 > len(points) for geom in same_zone):
        return None
    for province, geom in provinces:
        other = round(province.meridian, 6)
        if other == meridian:
            continue
        moved = _to_wgs84(points, vn2000.tm3_crs(province))
        if _inside(moved, geom) * 2 > len(points):
            offset = float(np.median(_distances_m(read, moved))) / 1000
            named = f" ({_chosen_name(chosen)})" if _chosen_name(chosen) else ""
            return (f"VN-2000 zone: read in the zone {_dms(meridian)} chosen{named} the features fall in no "
                    f"province of the platform with that zone; read in the zone {_dms(other)} of "
                    f"{province.name} they fall in {province.name}, about {offset:.0f} km away: if they "
                    f"were measured there, import with --crs vn2000:{province.code}")
    return None


def _chosen_name(chosen: str | None) -> str | None:
    if chosen and chosen.lower().startswith("vn2000:"):
        try:
            return vn2000.find_province(chosen.split(":", 1)[1]).name
        except vn2000.UnknownProvinceError:
            return None
    return None


def _to_wgs84(points: np.ndarray, crs: CRS) -> np.ndarray:
    """`points`' coordinates read as coordinates of `crs`, in WGS 84."""
    try:
        transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    except CRSError:
        return np.array([], dtype=object)
    coords = shapely.get_coordinates(points)
    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return shapely.points(x, y)


def _distances_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from pyproj import Geod

    ca, cb = shapely.get_coordinates(a), shapely.get_coordinates(b)
    _, _, distances = Geod(ellps="WGS84").inv(ca[:, 0], ca[:, 1], cb[:, 0], cb[:, 1])
    return np.abs(distances)
