"""The Web Mercator tile grid: validating z/x/y and finding the tiles that cover a bounding box."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ZOOM = 22
MAX_LAT = 85.0511287798066


class TileOutOfRange(ValueError):
    """z, x or y lies outside the grid; the message gives the valid ranges."""

    status = 400  # an HTTP answer of its own (spatial.error_responses)


@dataclass(frozen=True, order=True)
class Tile:
    z: int
    x: int
    y: int

    @classmethod
    def checked(cls, z: int, x: int, y: int) -> Tile:
        """The tile z/x/y, or TileOutOfRange saying which part is out of range."""
        if not 0 <= z <= MAX_ZOOM:
            raise TileOutOfRange(f"zoom {z} is out of range: use 0 to {MAX_ZOOM}")
        side = 1 << z
        if not (0 <= x < side and 0 <= y < side):
            raise TileOutOfRange(f"tile {z}/{x}/{y} is outside the grid: x and y go from 0 to {side - 1}")
        return cls(z, x, y)

    def __str__(self) -> str:
        return f"{self.z}/{self.x}/{self.y}"


def _lon_to_x(lon: float, z: int) -> int:
    return min((1 << z) - 1, max(0, int((lon + 180.0) / 360.0 * (1 << z))))


def _lat_to_y(lat: float, z: int) -> int:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    rad = math.radians(lat)
    y = (1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * (1 << z)
    return min((1 << z) - 1, max(0, int(y)))


def tiles_covering(bbox: tuple[float, float, float, float], z: int) -> Iterator[Tile]:
    """Every tile at zoom `z` that intersects the lon/lat bbox (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bbox
    x0, x1 = _lon_to_x(minx, z), _lon_to_x(maxx, z)
    y0, y1 = _lat_to_y(maxy, z), _lat_to_y(miny, z)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield Tile(z, x, y)


def tile_bounds(tile: Tile) -> tuple[float, float, float, float]:
    """The lon/lat bounds of a tile (minx, miny, maxx, maxy)."""
    n = 1 << tile.z

    def lat(y: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))

    return (tile.x / n * 360.0 - 180.0, lat(tile.y + 1), (tile.x + 1) / n * 360.0 - 180.0, lat(tile.y))
