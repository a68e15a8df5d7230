"""Benchmark: the `ioc import` command against `ogr2ogr -f PostgreSQL` (COPY), same database, one run.

(a) a generated 100,000-parcel GeoPackage into `parcels`; (b) a generated 1,000,000-row point CSV
into `detections` (camera codes resolved, each row's ward from its location on its own day). Ours
runs the whole command (`python -m ioc.cli import …`, start-up included) into the real layer, with
every rule of an import (validation, code lookups, wards, the cadastre's overlap and inside-ward
checks, history rows) and the layer's indexes and triggers. Two references, by ogr2ogr (COPY):
the same file copied into a scratch table with a GiST index built after the load (the issue's
reference), and the same rows appended into the layer's own table (its indexes and triggers), handed
the ids it cannot look up (ward, camera) and every column (GDAL falls back to one INSERT per row when a
column with a default is left out). Runs alternate; each ratio is (our rows/s) / (ogr2ogr's rows/s),
≥ 1.0 meaning at least as fast. Last, the start-up of `ioc`
commands that need no application (`--help`, argument errors) against the 1 s aim.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
from psycopg import sql
from shapely import box

from bench.common import describe, timed, use_scratch_database

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = (104.880, 21.690)  # south-west corner of the grid, Yên Bái
STEP = 0.0001  # about 10 m
WARD = "99999"
CAMERA = "CAM-BENCH"
# the detections' month (Hà Nội time): 29 days of November 2026
MONTH = (datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
         datetime(2026, 11, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))


def write_parcels(path: Path, count: int) -> gpd.GeoDataFrame:
    """A grid of `count` non-overlapping 10 m lots in one ward, written as a GeoPackage."""
    side = int(np.ceil(np.sqrt(count)))
    i = np.arange(count)
    x0, y0 = ORIGIN[0] + (i % side) * STEP, ORIGIN[1] + (i // side) * STEP
    frame = gpd.GeoDataFrame(
        {"ward_code": WARD, "sheet_no": 1 + i // 1000, "parcel_no": 1 + i % 1000,
         "land_use": np.where(i % 7 == 0, "TMD", "ODT"), "owner_type": "GDC",
         "address": [f"Số {n % 300 + 1}, đường Thử" for n in i]},
        geometry=box(x0, y0, x0 + STEP * 0.95, y0 + STEP * 0.95), crs=4326)
    frame.to_file(path, layer="parcels", engine="pyogrio")
    return frame


def write_detections(path: Path, count: int, bounds: tuple[float, float, float, float]) -> None:
    """`count` camera detections over one month as a CSV with lon/lat and no ward column."""
    rng = np.random.default_rng(0)
    minx, miny, maxx, maxy = bounds
    start = pd.Timestamp(MONTH[0])
    seconds = np.sort(rng.integers(0, 29 * 86_400, count))
    pd.DataFrame({
        "camera_code": CAMERA,
        "object_class": rng.choice(["motorbike", "car", "truck", "bus", "bicycle", "person"], count),
        "confidence": np.round(rng.uniform(0.3, 0.99, count), 3),
        "observed_at": (start + pd.to_timedelta(seconds, unit="s")).strftime("%Y-%m-%dT%H:%M:%S+07:00"),
        "track_id": np.arange(count),
        "lon": np.round(rng.uniform(minx, maxx, count), 6),
        "lat": np.round(rng.uniform(miny, maxy, count), 6),
    }).to_csv(path, index=False)


@dataclass
class Case:
    label: str
    file: Path
    layer: str
    rows: int
    ogr_options: tuple[str, ...] = ()
    table: str = ""  # the layer's table
    into_layer: str = ""  # ogr2ogr's SQL (SQLite dialect) giving the rows as the layer's table holds them


def _ioc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ioc.cli", *args], cwd=ROOT, env=os.environ.copy(),
                          capture_output=True, text=True, check=False)


def run_case(case: Case, runs: int, pg: str, empty: object,
             count: object) -> tuple[list[float], list[float], list[float], list[float]]:
    """Alternate `runs` loads by `ioc import`, by ogr2ogr into a scratch table and by ogr2ogr into the
    layer's table; for detections also `ioc import` into a month already held (its partition there,
    empty: the plain insert). Return the lists of seconds (the last one empty for parcels)."""
    ogr = ["ogr2ogr", "-f", "PostgreSQL", pg, str(case.file), "-nln", f"bench_ogr2ogr_{case.layer}",
           "-overwrite", "-a_srs", "EPSG:4326", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST",
           "--config", "PG_USE_COPY", "YES", *case.ogr_options]
    append = ["ogr2ogr", "-append", "-f", "PostgreSQL", pg, str(case.file), "-nln", case.table,
              "-dialect", "SQLite", "-sql", case.into_layer, "--config", "PG_USE_COPY", "YES",
              *case.ogr_options]
    command = ["import", str(case.file), "--layer", case.layer, "--verbosity", "0"]

    def import_once() -> float:
        start = time.perf_counter()
        done = _ioc(*command)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"ioc import failed:\n{done.stderr[-3000:]}")
        assert count(case.layer) == case.rows, f"{count(case.layer)} rows loaded, {case.rows} expected"
        return seconds

    ours, theirs, appended, held = [], [], [], []
    for _ in range(runs):
        empty(new_months=True)
        ours.append(import_once())
        theirs.append(timed(lambda: subprocess.run(ogr, check=True)))
        assert count(f"bench_ogr2ogr_{case.layer}") == case.rows
        empty(new_months=False)
        appended.append(timed(lambda: subprocess.run(append, check=True)))
        assert count(case.layer) == case.rows, f"ogr2ogr -append: {count(case.layer)} rows"
        if case.layer == "detections":
            empty(new_months=False)
            held.append(import_once())
    return ours, theirs, appended, held


def print_case(case: Case, ours: list[float], theirs: list[float], appended: list[float],
               held: list[float]) -> None:
    """The figures of one file: each load's seconds and rows/s, and our ratios to both references."""
    ours_rate = case.rows / statistics.median(ours)
    their_rate = case.rows / statistics.median(theirs)
    append_rate = case.rows / statistics.median(appended)
    print(f"{case.label}, {case.rows:,} rows:")
    print(f"  ioc import (the command, all rules, the layer's indexes): {describe(ours)}, "
          f"{ours_rate:,.0f} rows/s")
    print(f"  ogr2ogr -f PostgreSQL (COPY, GiST after):                 {describe(theirs)}, "
          f"{their_rate:,.0f} rows/s")
    print(f"  ogr2ogr -append into the layer's table (COPY, ids given): {describe(appended)}, "
          f"{append_rate:,.0f} rows/s")
    for name, rate in (("ogr2ogr into a scratch table", their_rate),
                       ("ogr2ogr into the layer's table", append_rate)):
        verdict = "meets" if ours_rate >= rate else "BELOW"
        print(f"  ratio ioc import / {name}: {ours_rate / rate:.2f} ({verdict} the 1.0 aim)")
    if held:
        held_rate = case.rows / statistics.median(held)
        print(f"  ioc import into a month already held (its partition empty; plain insert): "
              f"{describe(held)}, {held_rate:,.0f} rows/s, ratios {held_rate / their_rate:.2f} / "
              f"{held_rate / append_rate:.2f}")


def clear(layer: str, new_months: bool) -> None:
    """Empty the layer; detections: with `new_months` their month is new to the platform (no
    partition: an archive's import), else its partition is there, empty."""
    from django.db import connection

    from layers import partitions
    from layers.models import FeatureHistory, Parcel

    with connection.cursor() as cursor:
        if layer == "parcels":
            Parcel.objects.all()._raw_delete(using="default")
            FeatureHistory.objects.all()._raw_delete(using="default")
        else:
            for month in partitions.months(MONTH[0], MONTH[1]):
                cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(
                    sql.Identifier(partitions.partition_name(month))).as_string(cursor.connection))
            if not new_months:
                partitions.ensure_partitions(*MONTH)
        cursor.execute("CHECKPOINT")


def start_up(runs: int) -> list[tuple[str, float]]:
    """Median seconds of `ioc` command lines that need no application, and of one that does."""
    lines = [("ioc --help", ["--help"], 0), ("ioc import --help", ["import", "--help"], 0),
             ("ioc layers describe --help", ["layers", "describe", "--help"], 0),
             ("ioc import (wrong arguments)", ["import", "parcels.gpkg"], 2),
             ("ioc import (missing file; loads the application)",
              ["import", "none.csv", "--layer", "parcels"], 1)]

    def once(args: list[str], code: int) -> float:
        start = time.perf_counter()
        done = _ioc(*args)
        seconds = time.perf_counter() - start
        assert done.returncode == code, f"ioc {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}"
        return seconds

    return [(label, statistics.median(once(args, code) for _ in range(runs))) for label, args, code in lines]


def main() -> None:
    """Generate both files, load each by both tools, print rows/s and ratios, then the start-up times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each load (alternating)")
    args = parser.parse_args()

    db = use_scratch_database("toancanh_bench_import")
    from django.contrib.gis.geos import MultiPolygon, Point, Polygon
    from django.db import connection

    from layers.models import AdminUnit, Camera, Detection, Parcel

    work = tempfile.TemporaryDirectory(prefix="bench-import-")
    gpkg, csv = Path(work.name) / "parcels.gpkg", Path(work.name) / "detections.csv"
    minx, miny, maxx, maxy = write_parcels(gpkg, args.parcels).total_bounds
    write_detections(csv, args.points, (minx, miny, maxx, maxy))
    AdminUnit.objects.create(code=WARD, name="Phường Đo Đạc", level="commune", unit_type="phuong",
                             valid_from="2020-01-01",
                             geom=MultiPolygon(Polygon.from_bbox((minx - 0.01, miny - 0.01, maxx + 0.01,
                                                                  maxy + 0.01)), srid=4326))
    Camera.objects.create(code=CAMERA, name="Camera đo đạc", bearing_deg=0, fov_deg=60,
                          geom=Point(minx, miny, srid=4326))
    print(f"bench/import: database {db.name}; {args.parcels:,} parcels in a "
          f"{gpkg.stat().st_size / 1e6:.1f} MB GeoPackage, {args.points:,} detections in a "
          f"{csv.stat().st_size / 1e6:.1f} MB CSV; {args.runs} runs each, alternating")

    def count(table_or_layer: str) -> int:
        if table_or_layer == "parcels":
            return Parcel.objects.count()
        if table_or_layer == "detections":
            return Detection.objects.count()
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table_or_layer))
                           .as_string(cursor.connection))
            return cursor.fetchone()[0]

    pg = f"PG:host={db.host} port={db.port} dbname={db.name} user={db.user}"
    if db.password:
        pg += f" password={db.password}"
    ward, camera = AdminUnit.objects.get(code=WARD).pk, Camera.objects.get(code=CAMERA).pk
    cases = [
        Case("(a) parcels GeoPackage", gpkg, "parcels", args.parcels, ("-nlt", "MULTIPOLYGON"),
             Parcel._meta.db_table,
             f"SELECT geom, sheet_no, parcel_no, land_use, owner_type, address, {ward:d} AS ward_id, "  # noqa: S608
             "1 AS version, 0.0 AS area_m2, datetime('now') AS created_at, datetime('now') AS updated_at "
             "FROM parcels"),
        Case("(b) point CSV -> detections", csv, "detections", args.points,
             ("-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "AUTODETECT_TYPE=YES"),
             Detection._meta.db_table,
             f"SELECT rowid AS id, {camera:d} AS camera_id, object_class, confidence, observed_at, track_id, "  # noqa: S608
             f"1 AS ground_located, {ward} AS ward_id, geometry AS geom FROM detections"),
    ]
    for case in cases:
        ours, theirs, appended, held = run_case(case, args.runs, pg,
                                                lambda c=case, **kw: clear(c.layer, **kw), count)
        print_case(case, ours, theirs, appended, held)

    print("start-up (median of 5; aim under 1 s for commands that need no application):")
    for label, seconds in start_up(5):
        print(f"  {label:<52} {seconds:.2f} s")
    work.cleanup()


if __name__ == "__main__":
    main()
