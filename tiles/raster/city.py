"""The demo city's features read through the ORM in Web Mercator (EPSG:3857), ready to rasterize."""

from __future__ import annotations

import logging
import zlib
from typing import NamedTuple

import shapely
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsWKB, Transform
from django.db.models import QuerySet
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from layers.models import AdminUnit, Parcel, Road, WaterBody, ZoningPlan
from tiles.raster.errors import NoCityData

logger = logging.getLogger(__name__)

WEB_MERCATOR = 3857
Bounds = tuple[float, float, float, float]


class ParcelShape(NamedTuple):
    geom: BaseGeometry
    land_use: str
    tone: int  # 0–255, stable per parcel (from its ward, sheet and parcel numbers)


class RoadShape(NamedTuple):
    geom: BaseGeometry
    road_class: str
    width_m: float | None


class WaterShape(NamedTuple):
    geom: BaseGeometry
    water_type: str


class ZoneShape(NamedTuple):
    geom: BaseGeometry
    function: str
    zone_code: str


def _read(queryset: QuerySet, *fields: str) -> list[tuple]:
    rows = list(queryset.annotate(_wkb=AsWKB(Transform("geom", WEB_MERCATOR))).values_list("_wkb", *fields))
    geoms = shapely.from_wkb([bytes(row[0]) for row in rows])
    return [(geom, *row[1:]) for geom, row in zip(geoms, rows, strict=True)]


def extent() -> Bounds:
    """The EPSG:3857 bounds of the wards, water, roads and parcels together; NoCityData if empty."""
    querysets = (AdminUnit.objects.communes(), WaterBody.objects.all(), Road.objects.all(),
                 Parcel.objects.all())
    boxes = [queryset.aggregate(e=Extent("geom"))["e"] for queryset in querysets]
    boxes = [box for box in boxes if box]
    if not boxes:
        raise NoCityData("the database holds no wards, water, roads or parcels: run `ioc load_demo` first")
    lon0, lat0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    lon1, lat1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    to_mercator = Transformer.from_crs(4326, WEB_MERCATOR, always_xy=True)
    (x0, x1), (y0, y1) = to_mercator.transform([lon0, lon1], [lat0, lat1])
    return (x0, y0, x1, y1)


def outline() -> list[BaseGeometry]:
    """The commune polygons (pre-2025 and current): together they outline the city."""
    return [row[0] for row in _read(AdminUnit.objects.communes())]


def parcels() -> list[ParcelShape]:
    """Every parcel with its land use and a tone that stays the same from one load to the next."""
    rows = _read(Parcel.objects.order_by("ward__code", "sheet_no", "parcel_no"),
                 "land_use", "ward__code", "sheet_no", "parcel_no")
    return [ParcelShape(geom, land_use, zlib.crc32(f"{ward}/{sheet}/{number}".encode()) & 0xFF)
            for geom, land_use, ward, sheet, number in rows]


def roads() -> list[RoadShape]:
    """Roads, minor classes first so that major roads are drawn over them."""
    order = {"alley": 0, "urban": 1, "urban_main": 2, "provincial": 3, "national": 4}
    rows = [RoadShape(*row) for row in _read(Road.objects.order_by("code"), "road_class", "width_m")]
    return sorted(rows, key=lambda road: order.get(road.road_class, 0))


def water() -> list[WaterShape]:
    """Rivers, streams, lakes and ponds."""
    return [WaterShape(*row) for row in _read(WaterBody.objects.order_by("code"), "water_type")]


def zones() -> list[ZoneShape]:
    """Zones of every plan, older decisions first so that newer plans are drawn on top."""
    queryset = ZoningPlan.objects.order_by("decision_date", "decision_no", "zone_code")
    return [ZoneShape(*row) for row in _read(queryset, "function", "zone_code")]
