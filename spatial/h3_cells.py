"""H3 hexagons as the platform stores them: a cell's polygon as WKT in lon/lat (EPSG:4326), and the cells
of points (the h3 library; PostgreSQL has no H3 extension here, so cells are computed in Python)."""

from __future__ import annotations

import h3


def cell_wkt(cell: str) -> str:
    """The polygon of an H3 cell as WKT (lon lat)."""
    ring = [(lng, lat) for lat, lng in h3.cell_to_boundary(cell)]
    ring.append(ring[0])
    return "POLYGON((" + ",".join(f"{x:.7f} {y:.7f}" for x, y in ring) + "))"


def cell_of(lon: float, lat: float, resolution: int) -> str:
    """The H3 cell of resolution `resolution` holding the point (lon, lat)."""
    return h3.latlng_to_cell(lat, lon, resolution)


def centre(cell: str) -> tuple[float, float]:
    """The centre of `cell` as (lon, lat)."""
    lat, lon = h3.cell_to_latlng(cell)
    return lon, lat
