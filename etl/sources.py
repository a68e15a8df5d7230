"""Readers: one per file format, chosen by extension through a registry that takes dotted paths.

Each reader returns a `Source`: a (Geo)DataFrame whose non-geometry columns are kept as read,
and the CRS the file declares (None when it declares none).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from etl.errors import SourceError
from etl.report import Problem, shown

logger = logging.getLogger(__name__)

LON_NAMES = ("lon", "lng", "long", "longitude", "kinh_do", "x")
LAT_NAMES = ("lat", "latitude", "vi_do", "y")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom")
TABLE_SUFFIXES = {".csv", ".xlsx"}


@dataclass
class Source:
    """What a reader found in a file."""

    frame: pd.DataFrame
    crs: CRS | None
    path: Path
    xy_columns: tuple[str, str] | None = None
    problems: list[Problem] = field(default_factory=list)  # rows the reader could not read whole

    @property
    def header_rows(self) -> int:
        """Rows above the first record as the file shows them: a table's header (CSV, XLSX)."""
        return 1 if self.path.suffix.lower() in TABLE_SUFFIXES else 0

    @property
    def declares_crs(self) -> bool:
        """Whether the format can carry a CRS (GIS files can; CSV and XLSX tables cannot)."""
        return self.path.suffix.lower() not in TABLE_SUFFIXES

    @property
    def has_geometry(self) -> bool:
        return isinstance(self.frame, gpd.GeoDataFrame)


Reader = Callable[[Path, "str | None"], Source]


def read_vector(path: Path, layer: str | None = None) -> Source:
    """GeoPackage, GeoJSON, FlatGeobuf, Shapefile (also zipped) through pyogrio."""
    try:
        layers = pyogrio.list_layers(path)
    except (DataSourceError, DataLayerError) as exc:
        raise SourceError(f"{path.name}: cannot be read as a GIS file ({_first_line(exc)})") from exc
    if len(layers) == 0:
        raise SourceError(f"{path.name}: holds no layer")
    if layer is None and len(layers) > 1:
        names = ", ".join(str(name) for name, _ in layers)
        raise SourceError(f"{path.name} holds several layers ({names}); choose one with --source-layer")
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (DataSourceError, DataLayerError, ValueError) as exc:
        raise SourceError(f"{path.name}: cannot be read ({_first_line(exc)})") from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise SourceError(f"{path.name}: has no geometry column")
    return Source(frame=frame, crs=frame.crs, path=path)


def read_csv(path: Path, layer: str | None = None) -> Source:
    """CSV with lon/lat (or x/y) columns, or a WKT column; every value kept as text."""
    del layer
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as exc:
        raise SourceError(f"{path.name}: is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path.name}: is not a readable UTF-8 CSV ({_first_line(exc)})") from exc
    return _with_geometry(frame, path)


def read_xlsx(path: Path, layer: str | None = None) -> Source:
    """An Excel sheet (first sheet, or the one named by `layer`), as a table or with lon/lat."""
    try:
        frame = pd.read_excel(path, sheet_name=layer or 0, dtype=str, keep_default_na=False)
    except (ValueError, KeyError, OSError) as exc:
        raise SourceError(f"{path.name}: is not a readable XLSX workbook ({_first_line(exc)})") from exc
    return _with_geometry(frame, path)


def _with_geometry(frame: pd.DataFrame, path: Path) -> Source:
    frame.columns = [str(c).strip() for c in frame.columns]
    lower = {c.lower(): c for c in frame.columns}
    wkt = next((lower[n] for n in WKT_NAMES if n in lower), None)
    lon = next((lower[n] for n in LON_NAMES if n in lower), None)
    lat = next((lower[n] for n in LAT_NAMES if n in lower), None)
    if wkt:
        try:
            geometry = shapely.from_wkt(frame.pop(wkt).replace("", None), on_invalid="raise")
        except shapely.errors.GEOSException as exc:
            raise SourceError(f"{path.name}: column {wkt!r} holds text that is not WKT ({exc})") from exc
        return Source(gpd.GeoDataFrame(frame, geometry=geometry, crs=None), None, path)
    if lon and lat:
        problems: list[Problem] = []
        x, y = (_coordinate(frame[name], name, problems) for name in (lon, lat))
        geometry = shapely.points(x.to_numpy(), y.to_numpy())
        geometry[x.isna().to_numpy() | y.isna().to_numpy()] = None
        frame = frame.drop(columns=[lon, lat])
        return Source(gpd.GeoDataFrame(frame, geometry=geometry, crs=None), None, path, (lon, lat),
                      sorted(problems, key=lambda p: p.row))
    return Source(frame, None, path)


def _coordinate(column: pd.Series, name: str, problems: list[Problem]) -> pd.Series:
    """A coordinate column as numbers (a decimal comma read as a point); text is a problem of its row."""
    try:  # the usual case, plain numbers (and blanks), read in one pass
        blank = column.isna() | (column == "")
        numbers = pd.to_numeric(column.where(~blank), errors="raise").astype(float)
        if not (numbers.isna() & ~blank).any():  # (text such as "nan" is a problem below)
            return numbers
    except (ValueError, TypeError):
        pass
    text = column.astype(str).str.strip()
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    for index in (numbers.isna() & (text != "")).to_numpy().nonzero()[0]:
        problems.append(Problem(int(index + 1), f"bad value: {shown(column.iloc[index])} is not a number "
                                "(a coordinate)", name))
    return numbers


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


READERS: dict[str, Reader | str] = {
    ".gpkg": read_vector,
    ".geojson": read_vector,
    ".json": read_vector,
    ".fgb": read_vector,
    ".shp": read_vector,
    ".zip": read_vector,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}


def register_reader(extension: str, reader: Reader | str) -> None:
    """Add a reader for an extension: a callable or a dotted path 'package.module.function'."""
    READERS[extension.lower()] = reader


def _resolve(reader: Reader | str) -> Reader:
    if callable(reader):
        return reader
    module, _, name = reader.rpartition(".")
    return getattr(importlib.import_module(module), name)


def read_source(path: Path, layer: str | None = None) -> Source:
    """Read any supported file; a clear SourceError for missing, empty or unsupported files."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name}: is empty")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(
            f"{path.name}: unsupported format {path.suffix!r}; use one of {', '.join(sorted(READERS))}"
        )
    source = _resolve(reader)(path, layer)
    if len(source.frame) == 0:
        raise SourceError(f"{path.name}: holds no rows")
    return source
