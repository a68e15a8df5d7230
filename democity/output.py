"""Writing the demo files: one-layer GeoPackages in EPSG:4326 and UTF-8 CSV tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from democity.frame import FRAME

# GeoPackages record when they were written; a fixed date keeps two runs byte-identical.
FIXED_DATE = "2025-01-01T00:00:00.000Z"
# Polygons are snapped to 1 µm in the metric frame: hair-thin spikes left by clipping would
# otherwise turn into self-intersections once reprojected. Neighbours move by less than a micrometre.
GRID_M = 1e-6
# A straight edge of the frame is a curve in EPSG:4326, where the file keeps only its ends: a 5 km
# ward border would move by 0.2 m, and the parcels along it (whose corners lie on the curve) would
# stick out of their ward by up to 38 m², the points near it change ward. Cut to 100 m, an edge
# strays by 0.1 mm, so what lies inside a shape in the frame lies inside it on the map.
MAX_EDGE_M = 100.0
MULTI = {"MultiPolygon": shapely.multipolygons, "MultiLineString": shapely.multilinestrings}


@contextmanager
def _fixed_timestamps() -> Iterator[None]:
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _promote(geometries: np.ndarray, multi: str) -> np.ndarray:
    parts, index = shapely.get_parts(geometries, return_index=True)
    return MULTI[multi](parts, indices=index)


def write_layer(frame: pd.DataFrame, directory: Path, layer: str, multi: str | None = None) -> Path:
    """Write `frame` (geometry in the city frame) as `<layer>.gpkg` with one layer named `layer`."""
    geometries = shapely.segmentize(frame.geometry.to_numpy(), MAX_EDGE_M)
    if multi == "MultiPolygon":
        geometries = shapely.set_precision(geometries, GRID_M)
    geometries = FRAME.to_lonlat(geometries)
    if multi:
        geometries = _promote(geometries, multi)
    table = gpd.GeoDataFrame(
        frame.drop(columns="geometry").reset_index(drop=True), geometry=geometries, crs="EPSG:4326"
    )
    path = directory / f"{layer}.gpkg"
    path.unlink(missing_ok=True)
    with _fixed_timestamps():
        pyogrio.write_dataframe(table, path, layer=layer, driver="GPKG")
    return path


def write_table(frame: pd.DataFrame, directory: Path, name: str) -> Path:
    """Write `frame` as `<name>.csv` (UTF-8, no index)."""
    path = directory / f"{name}.csv"
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
