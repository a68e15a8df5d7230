"""The city's local frame: metres along (u) and across (v) the Red River, and the map projections.

Every generator works in this frame: u grows downstream (towards the south-east), v grows towards
the left (north-east) bank, and one unit is one metre. `FRAME.to_lonlat` turns the result into
EPSG:4326 for the files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta, timezone

import numpy as np
import shapely
from pyproj import Transformer

TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
CENTRE_LONLAT = (104.91, 21.72)  # Yên Bái city, on the Red River
RIVER_BEARING_DEG = 128.0  # the river flows from the north-west to the south-east
METRIC_EPSG = 32648  # WGS 84 / UTM zone 48N


@dataclass(frozen=True)
class Frame:
    """A rotation and translation of UTM 48N: u along the river, v across it, in metres."""

    origin_x: float
    origin_y: float
    bearing_deg: float
    _to_wgs84: Transformer = field(repr=False, compare=False)

    @classmethod
    def at(cls, lon: float, lat: float, bearing_deg: float) -> Frame:
        """The frame centred on (lon, lat) with its u axis pointing along `bearing_deg`."""
        to_utm = Transformer.from_crs(4326, METRIC_EPSG, always_xy=True)
        x, y = to_utm.transform(lon, lat)
        to_wgs84 = Transformer.from_crs(METRIC_EPSG, 4326, always_xy=True)
        return cls(float(x), float(y), bearing_deg, to_wgs84)

    @property
    def _axes(self) -> tuple[float, float, float, float]:
        b = math.radians(self.bearing_deg)
        # u axis (east, north) and v axis (east, north): v is u turned 90° anticlockwise
        return math.sin(b), math.cos(b), -math.cos(b), math.sin(b)

    def uv_to_xy(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """UTM 48N easting and northing of frame coordinates."""
        ue, un, ve, vn = self._axes
        return self.origin_x + u * ue + v * ve, self.origin_y + u * un + v * vn

    def uv_to_lonlat(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Longitude and latitude (EPSG:4326) of frame coordinates."""
        x, y = self.uv_to_xy(np.asarray(u, dtype=float), np.asarray(v, dtype=float))
        return self._to_wgs84.transform(x, y)

    def to_lonlat(self, geometries: np.ndarray) -> np.ndarray:
        """The geometries (frame coordinates) reprojected to EPSG:4326."""
        return shapely.transform(
            geometries, lambda uv: np.column_stack(self.uv_to_lonlat(uv[:, 0], uv[:, 1]))
        )

    def bearing_of(self, du: np.ndarray, dv: np.ndarray) -> np.ndarray:
        """Compass bearing in degrees (0 = north, clockwise) of a direction in the frame."""
        ue, un, ve, vn = self._axes
        east, north = du * ue + dv * ve, du * un + dv * vn
        return np.degrees(np.arctan2(east, north)) % 360.0

    def direction_of(self, bearing_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit vector (du, dv) in the frame of a compass bearing in degrees."""
        b = np.radians(bearing_deg)
        east, north = np.sin(b), np.cos(b)
        ue, un, ve, vn = self._axes
        return east * ue + north * un, east * ve + north * vn


FRAME = Frame.at(*CENTRE_LONLAT, RIVER_BEARING_DEG)
