"""Fixtures for importer tests: small files written next to a real ward of the demo city."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from django.db import connection
from shapely.geometry import box

from layers.models import AdminUnit, Parcel


@pytest.fixture
def ward(db) -> AdminUnit:
    return AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)


# The south-west corner of a 0.0005° cell of the ward where a block of 5 × 5 lots (and a margin)
# lies inside the ward and clear of every parcel: imported lots then overlap nothing stored.
_FREE_BLOCK = """
SELECT x, y FROM layers_adminunit u,
       generate_series(ST_XMin(u.geom)::numeric, ST_XMax(u.geom)::numeric, 0.0005) x,
       generate_series(ST_YMin(u.geom)::numeric, ST_YMax(u.geom)::numeric, 0.0005) y
 WHERE u.id = %s AND ST_CoveredBy(ST_MakeEnvelope(x - 0.0003, y - 0.0003, x + 0.0008, y + 0.0008,
     4326), u.geom)
   AND NOT EXISTS (SELECT 1 FROM layers_parcel p
                    WHERE p.geom && ST_MakeEnvelope(x - 0.0001, y - 0.0001, x + 0.0006, y + 0.0006, 4326))
 ORDER BY y, x LIMIT 1
"""


@pytest.fixture
def lots(ward) -> Callable[[int], list]:
    """n (≤ 25) small square lots (about 10 m × 10 m) inside the ward, five a row, overlapping no
    parcel nor each other."""
    with connection.cursor() as cursor:
        cursor.execute(_FREE_BLOCK, [ward.pk])
        x0, y0 = (float(v) for v in cursor.fetchone())

    def make(n: int) -> list:
        step = 0.0001
        return [box(x0 + (i % 5) * step, y0 + (i // 5) * step, x0 + (i % 5 + 0.9) * step,
                    y0 + (i // 5 + 0.9) * step) for i in range(n)]

    return make


@pytest.fixture
def parcel_rows(ward, lots) -> Callable[[int], list[dict]]:
    def make(n: int, sheet: int = 900) -> list[dict]:
        return [
            {"ward_code": ward.code, "sheet_no": sheet, "parcel_no": i + 1, "land_use": "ODT",
             "owner_type": "GDC", "address": f"Số {i + 1}, phố Thử Nghiệm", "geometry": lot}
            for i, lot in enumerate(lots(n))
        ]

    return make


@pytest.fixture
def write_file(tmp_path) -> Callable[..., Path]:
    """Write rows to a file of the format given by the name's extension."""

    def write(name: str, rows: list[dict], crs: int | str | None = 4326, **kwargs) -> Path:
        path = tmp_path / name
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
        frame.to_file(path, engine="pyogrio", **kwargs)
        return path

    return write


@pytest.fixture
def parcel_count(db) -> Callable[[], int]:
    return Parcel.objects.count
