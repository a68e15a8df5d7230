"""Benchmark: `ioc import` of a 100,000-parcel GeoPackage against `ogr2ogr -f PostgreSQL` (COPY).

Both load the same file into the same scratch database in the same run; the ratio is ours / ogr2ogr.
Ours does more (validation, code lookups, server-side area, history rows, a populated GiST index),
which is what the ratio prices.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely import box

from bench.common import best_of, describe, use_scratch_database

ORIGIN = (104.880, 21.690)  # south-west corner of the grid, Yên Bái
STEP = 0.0001  # about 10 m


def write_parcels(path: Path, count: int) -> gpd.GeoDataFrame:
    """A grid of `count` non-overlapping 10 m lots in one ward, written as a GeoPackage."""
    side = int(np.ceil(np.sqrt(count)))
    i = np.arange(count)
    x0, y0 = ORIGIN[0] + (i % side) * STEP, ORIGIN[1] + (i // side) * STEP
    frame = gpd.GeoDataFrame(
        {"ward_code": "99999", "sheet_no": 1 + i // 1000, "parcel_no": 1 + i % 1000,
         "land_use": np.where(i % 7 == 0, "TMD", "ODT"), "owner_type": "GDC",
         "address": [f"Số {n % 300 + 1}, đường Thử" for n in i]},
        geometry=box(x0, y0, x0 + STEP * 0.95, y0 + STEP * 0.95), crs=4326)
    frame.to_file(path, layer="parcels", engine="pyogrio")
    return frame


def main() -> None:
    """Run both loads `--runs` times and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    db = use_scratch_database("toancanh_bench_import")
    from django.db import connection

    from etl.importer import ImportOptions, import_file
    from layers.models import AdminUnit, FeatureHistory, Parcel

    work = tempfile.TemporaryDirectory(prefix="bench-import-")
    gpkg = Path(work.name) / "parcels.gpkg"
    frame = write_parcels(gpkg, args.parcels)
    minx, miny, maxx, maxy = frame.total_bounds
    from django.contrib.gis.geos import MultiPolygon, Polygon

    AdminUnit.objects.create(code="99999", name="Phường Đo Đạc", level="commune", unit_type="phuong",
                             valid_from="2020-01-01",
                             geom=MultiPolygon(Polygon.from_bbox((minx - 0.01, miny - 0.01, maxx + 0.01,
                                                                  maxy + 0.01)), srid=4326))
    size_mb = gpkg.stat().st_size / 1e6
    print(f"bench/import: {args.parcels:,} parcels, {size_mb:.1f} MB GeoPackage, database {db.name}")

    def clear_ours() -> None:
        Parcel.objects.all()._raw_delete(using="default")
        FeatureHistory.objects.all()._raw_delete(using="default")

    ours = best_of(args.runs, lambda: import_file(gpkg, ImportOptions(layer="parcels")), clear_ours)
    assert Parcel.objects.count() == args.parcels

    pg = f"PG:host={db.host} port={db.port} dbname={db.name} user={db.user}"
    if db.password:
        pg += f" password={db.password}"
    ogr = ["ogr2ogr", "-f", "PostgreSQL", pg, str(gpkg), "-nln", "bench_ogr2ogr_parcels", "-overwrite",
           "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST", "--config", "PG_USE_COPY", "YES"]
    reference = best_of(args.runs, lambda: subprocess.run(ogr, check=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_ogr2ogr_parcels")
        assert cursor.fetchone()[0] == args.parcels

    ours_s, ref_s = sorted(ours)[len(ours) // 2], sorted(reference)[len(reference) // 2]
    print(f"  ioc import (validate + COPY + area + history + GiST): {describe(ours)}, "
          f"{args.parcels / ours_s:,.0f} rows/s")
    print(f"  ogr2ogr -f PostgreSQL (COPY + GiST):                  {describe(reference)}, "
          f"{args.parcels / ref_s:,.0f} rows/s")
    print(f"  ratio ioc import / ogr2ogr: {ours_s / ref_s:.2f}×")
    work.cleanup()


if __name__ == "__main__":
    main()
