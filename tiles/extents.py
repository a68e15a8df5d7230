"""The extent of each layer's data in space and time, kept current cheaply (TileJSON, OGC collections).

A layer whose table PostgreSQL estimates under EXACT_ROWS rows gets its exact extent: ST_Extent of
its features and the min and max of its time field. A larger one gets PostgreSQL's estimates from
the planner's statistics, which ANALYZE (autovacuum) keeps current, per partition: PostGIS's
ST_EstimatedExtent and the first and last bounds of the time field's histogram; such an extent is
marked `estimated`. Nothing here scans a large table.

Each extent is kept per process for REFRESH_SECONDS. A write's tile notice (tiles.invalidation, in
every server worker) grows the kept box by the boxes the write touched at once and makes the next
reader recompute, at most once every RECOMPUTE_SECONDS per layer (detections arrive every second).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.gis.db.models import Extent
from django.db import connection
from django.db.models import Max, Min

from layers.registry import Layer, registry

EXACT_ROWS = 50_000  # an exact extent reads every row's box: 45 ms for 30,000 parcels
REFRESH_SECONDS = 300.0
RECOMPUTE_SECONDS = 5.0
ESTIMATE_SECONDS = 60.0
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class DataExtent:
    """Where and when a layer's features lie: a CRS84 box and the time field's first and last value
    (None when the layer has no features, or no time field); `estimated` when from statistics."""

    bbox: Box | None = None
    begin: datetime | None = None
    end: datetime | None = None
    estimated: bool = False

    def centre(self, zoom: int) -> list[float] | None:
        """TileJSON's `center`: [lon, lat, zoom] in the middle of the box."""
        if self.bbox is None:
            return None
        minx, miny, maxx, maxy = self.bbox
        return [round((minx + maxx) / 2, 6), round((miny + maxy) / 2, 6), zoom]

    def fitting_zoom(self, pixels: int = 1024) -> int:
        """The deepest Web Mercator zoom at which the whole box fits in `pixels` (0 without a box)."""
        if self.bbox is None:
            return 0
        minx, miny, maxx, maxy = self.bbox
        span_x = max(maxx - minx, 1e-9) / 360.0
        span_y = max(abs(_mercator_y(maxy) - _mercator_y(miny)), 1e-9)
        return max(0, min(22, int(math.log2(pixels / 256 / max(span_x, span_y)))))


def _mercator_y(lat: float) -> float:
    """The Web Mercator y of a latitude, as a fraction of the world's height."""
    lat = max(-85.0511, min(85.0511, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


# -- statistics ------------------------------------------------------------------------------------
_ESTIMATES: dict[str, tuple[float, float | None]] = {}
# the table's own rows, or its partitions' (the parameters: the table's name, twice)
ROWS_SQL = ("SELECT sum(reltuples) FILTER (WHERE reltuples >= 0), bool_or(reltuples < 0) FROM pg_class c "
            "WHERE c.relkind = 'r' AND (c.oid = %s::regclass "
            "OR c.oid IN (SELECT relid FROM pg_partition_tree(%s::regclass) WHERE isleaf))")
# the statistics of one column of the table or its partitions (the column, the table's name twice)
BOX_SQL = ("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent("
           "ST_EstimatedExtent(n.nspname, c.relname, s.attname)::geometry) AS e "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_stats s "
           "ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = %s "
           "WHERE c.relkind = 'r' AND (c.oid = %s::regclass "
           "OR c.oid IN (SELECT relid FROM pg_partition_tree(%s::regclass) WHERE isleaf))) b")
TIMES_SQL = ("SELECT min((s.histogram_bounds::text::timestamptz[])[1]), "
             "max((s.histogram_bounds::text::timestamptz[])[array_length(s.histogram_bounds, 1)]) "
             "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_stats s "
             "ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = %s "
             "WHERE c.relkind = 'r' AND (c.oid = %s::regclass "
             "OR c.oid IN (SELECT relid FROM pg_partition_tree(%s::regclass) WHERE isleaf))")


def estimated_rows(table: str) -> float | None:
    """PostgreSQL's row estimate for a table (summed over partitions), None if never analysed.

    Kept for a minute per process: it is an estimate, and asking on every page costs a round trip.
    """
    now = time.monotonic()
    cached = _ESTIMATES.get(table)
    if cached and now - cached[0] < ESTIMATE_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(ROWS_SQL, [table, table])
        total, unknown = cursor.fetchone()
    estimate = None if unknown or total is None else float(total)
    _ESTIMATES[table] = (now, estimate)
    return estimate


def _estimated_box(layer: Layer) -> Box | None:
    """PostGIS's estimate of the table's extent from the planner's statistics, over its partitions."""
    column = layer.model_class._meta.get_field(layer.geometry_field).column
    with connection.cursor() as cursor:
        cursor.execute(BOX_SQL, [column, layer.table, layer.table])
        row = cursor.fetchone()
    return None if row is None or row[0] is None else tuple(float(v) for v in row)


def _estimated_times(layer: Layer) -> tuple[datetime | None, datetime | None]:
    """The time field's first and last histogram bounds (ANALYZE's sample), over its partitions."""
    column = layer.model_class._meta.get_field(layer.time_field).column
    with connection.cursor() as cursor:
        cursor.execute(TIMES_SQL, [column, layer.table, layer.table])
        return cursor.fetchone()


# -- computing and keeping -------------------------------------------------------------------------
def compute(layer: Layer) -> DataExtent:
    """The layer's extent now: exact for a small table, from statistics for a large one (falling
    back to exact when the table was never analysed)."""
    rows = estimated_rows(layer.table)
    if rows is not None and rows >= EXACT_ROWS:
        box = _estimated_box(layer)
        begin, end = _estimated_times(layer) if layer.time_field else (None, None)
        if box is not None:
            return DataExtent(box, begin, end, estimated=True)
    aggregates = {"box": Extent(layer.geometry_field)}
    if layer.time_field:
        aggregates |= {"begin": Min(layer.time_field), "end": Max(layer.time_field)}
    found = layer.queryset().aggregate(**aggregates)
    box = found["box"]
    return DataExtent(tuple(float(v) for v in box) if box else None, found.get("begin"), found.get("end"))


@dataclass
class _Kept:
    extent: DataExtent
    at: float
    written: bool = False  # a write was noticed since


_kept: dict[str, _Kept] = {}
_lock = threading.Lock()


def of(layer: Layer) -> DataExtent:
    """The layer's extent, kept per process (see the module's docstring for how long)."""
    now = time.monotonic()
    kept = _kept.get(layer.id)
    if kept is not None:
        age = now - kept.at
        if age < REFRESH_SECONDS and (not kept.written or age < RECOMPUTE_SECONDS):
            return kept.extent
    extent = compute(layer)
    with _lock:
        _kept[layer.id] = _Kept(extent, now)
    return extent


def union(boxes: Iterable[Sequence[float]], box: Box | None = None) -> Box | None:
    """The box holding `box` and every one of `boxes` (None for none)."""
    for minx, miny, maxx, maxy in boxes:
        box = (minx, miny, maxx, maxy) if box is None else (
            min(box[0], minx), min(box[1], miny), max(box[2], maxx), max(box[3], maxy))
    return box


def written(table: str, boxes: Iterable[Sequence[float]]) -> None:
    """A write touched `boxes` of `table` (a tile notice): grow the kept boxes of its layers now and
    have their next reader recompute the rest (times, shrinking)."""
    boxes = list(boxes)
    with _lock:
        for layer in registry:
            kept = _kept.get(layer.id)
            if kept is not None and layer.table == table:
                kept.extent = replace(kept.extent, bbox=union(boxes, kept.extent.bbox))
                kept.written = True


def forget() -> None:
    """Drop every kept extent (tests that change data behind the notices' back)."""
    with _lock:
        _kept.clear()
        _ESTIMATES.clear()
