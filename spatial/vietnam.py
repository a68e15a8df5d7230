"""The coarse extent of Vietnam (mainland, islands, Hoàng Sa, Trường Sa) used to reject bad input.

It is a union of boxes, not a border: it catches swapped axes, projected coordinates read as
degrees and data from another country, while never refusing a point inside Vietnam.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import box

# (min lon, min lat, max lon, max lat)
_BOXES = (
    (102.10, 20.50, 108.20, 23.40),  # the north
    (103.80, 17.00, 107.30, 20.50),  # north-central coast
    (106.30, 13.80, 109.50, 17.00),  # central coast and the northern highlands
    (106.30, 10.20, 109.50, 13.80),  # south-central coast and the southern highlands
    (104.35, 8.15, 107.20, 11.20),   # Mekong delta, Hồ Chí Minh City, Côn Đảo
    (103.40, 9.70, 104.40, 10.60),   # Phú Quốc and the Kiên Giang islands
    (110.90, 15.50, 113.00, 17.30),  # Hoàng Sa
    (111.40, 6.00, 117.90, 12.10),   # Trường Sa
)

VIETNAM_EXTENT = shapely.union_all([box(*b) for b in _BOXES])
VIETNAM_BBOX: tuple[float, float, float, float] = VIETNAM_EXTENT.bounds
shapely.prepare(VIETNAM_EXTENT)


def inside_vietnam(geometries: np.ndarray) -> np.ndarray:
    """Boolean array: which geometries (EPSG:4326) lie entirely inside Vietnam's extent."""
    return shapely.covers(VIETNAM_EXTENT, geometries)
