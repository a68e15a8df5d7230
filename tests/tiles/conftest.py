"""Fixtures for tile tests: an empty cache folder per test, tiles over the demo city."""

from __future__ import annotations

import pytest

from layers.models import AdminUnit, Parcel
from tiles.grid import Tile, tiles_covering


@pytest.fixture(autouse=True)
def tile_cache(settings, tmp_path):
    settings.TILE_CACHE_DIR = tmp_path / "tiles"
    return settings.TILE_CACHE_DIR


@pytest.fixture
def centre_parcel(db) -> Parcel:
    """A parcel of phường Đồng Tâm, in the city centre."""
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    return Parcel.objects.filter(ward=ward).order_by("pk").first()


@pytest.fixture
def tile_at():
    """The tile holding a lon/lat point at zoom z."""

    def find(lon: float, lat: float, z: int) -> Tile:
        return next(tiles_covering((lon, lat, lon, lat), z))

    return find


@pytest.fixture
def city_extent(db) -> tuple[float, float, float, float]:
    from django.contrib.gis.db.models import Extent

    return AdminUnit.objects.filter(level="commune", valid_to__isnull=False).aggregate(e=Extent("geom"))["e"]
