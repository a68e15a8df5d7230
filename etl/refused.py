"""The refused rows of an import as a file to fix and import again: the source's own columns and
geometry, with the row number and the reason (GeoPackage, or CSV with the geometry as WKT)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from etl.errors import MappingError

SUFFIXES = (".gpkg", ".csv")


def refused_rows(source: pd.DataFrame, reasons: dict[int, list[str]], shown_offset: int) -> pd.DataFrame:
    """The source rows named in `reasons` (record number → messages), with `row` (as the report
    shows it) and `reason` first."""
    records = sorted(reasons)
    frame = source.iloc[[r - 1 for r in records]].copy()
    frame.insert(0, "reason", ["; ".join(reasons[r]) for r in records])
    frame.insert(0, "row", [r + shown_offset for r in records])
    return frame


def write_refused(frame: pd.DataFrame, path: Path) -> Path:
    """Write refused rows to a GeoPackage (geometry kept in the source's CRS) or a CSV (WKT)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise MappingError(f"refused rows file {path.name}: use a name ending in {' or '.join(SUFFIXES)}")
    frame = frame.copy()
    for column in frame.columns:  # GDAL writes text, numbers and dates; anything else as text
        if column != "geometry" and frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v if v is None or isinstance(v, str | int | float)
                                              else str(v))
    if suffix == ".gpkg" and isinstance(frame, gpd.GeoDataFrame):
        frame.to_file(path, driver="GPKG", engine="pyogrio")
    else:
        if isinstance(frame, gpd.GeoDataFrame):
            frame = pd.DataFrame(frame.assign(geometry=frame.geometry.to_wkt()))
        frame.to_csv(path, index=False, encoding="utf-8")
    return path
