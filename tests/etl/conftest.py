"""Fixtures for importer tests: small files written next to a real ward of the demo city."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.models import AdminUnit, Parcel


@pytest.fixture
def ward(db) -> AdminUnit:
    return AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)


@pytest.fixture
def lots(ward) -> Callable[[int], list]:
    """n small square lots (about 10 m × 10 m) inside the ward, not overlapping each other."""
    origin = ward.geom.point_on_surface

    def make(n: int) -> list:
        step = 0.0001
        return [box(origin.x + i * step, origin.y, origin.x + i * step + step * 0.9, origin.y + step * 0.9)
                for i in range(n)]

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
