"""A north-up pixel grid in Web Mercator, and burning shapes into it with rasterio."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rasterio.features import rasterize
from rasterio.transform import Affine
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS = 6378137.0


@dataclass(frozen=True)
class RasterGrid:
    """`width` × `height` pixels of `resolution` EPSG:3857 metres, top-left corner at (left, top)."""

    left: float
    top: float
    resolution: float
    width: int
    height: int

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], resolution: float,
                 margin: float = 0.0) -> RasterGrid:
        """The smallest grid aligned on multiples of `resolution` holding `bounds` plus `margin`."""
        minx, miny, maxx, maxy = bounds
        left = math.floor((minx - margin) / resolution) * resolution
        right = math.ceil((maxx + margin) / resolution) * resolution
        bottom = math.floor((miny - margin) / resolution) * resolution
        top = math.ceil((maxy + margin) / resolution) * resolution
        width, height = round((right - left) / resolution), round((top - bottom) / resolution)
        return cls(left, top, resolution, width, height)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def transform(self) -> Affine:
        return Affine(self.resolution, 0.0, self.left, 0.0, -self.resolution, self.top)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.left, self.top - self.height * self.resolution,
                self.left + self.width * self.resolution, self.top)

    @property
    def map_units_per_metre(self) -> float:
        """Web Mercator metres per ground metre at the grid's centre latitude (1 / cos φ)."""
        centre_y = self.top - self.height * self.resolution / 2
        latitude = 2 * math.atan(math.exp(centre_y / EARTH_RADIUS)) - math.pi / 2
        return 1 / math.cos(latitude)

    def pixel(self, x: float, y: float) -> tuple[float, float]:
        """The (column, row) of a map position."""
        return ((x - self.left) / self.resolution, (self.top - y) / self.resolution)

    def burn(self, shapes: Iterable[tuple[BaseGeometry, int]], *, fill: int = 0, dtype: str = "uint8",
             all_touched: bool = False) -> np.ndarray:
        """An array of the grid's shape holding each shape's value where it lies (later shapes win)."""
        pairs = [(geom, value) for geom, value in shapes if geom is not None and not geom.is_empty]
        if not pairs:
            return np.full(self.shape, fill, dtype=dtype)
        return rasterize(pairs, out_shape=self.shape, transform=self.transform, fill=fill, dtype=dtype,
                         all_touched=all_touched)
