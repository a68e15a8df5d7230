"""An edit by plain SQL (as QGIS makes) renews exactly the cached tiles it touches, at every zoom."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings

from layers.models import AdminUnit, Parcel
from tiles import invalidation
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db

SHIFT = 0.0004  # about 40 m east


def autocommit() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"],
                           password=db["PASSWORD"] or None, autocommit=True)


@pytest.fixture
def parcel(db) -> Parcel:
    ward = AdminUnit.objects.get(name="Nguyễn Thái Học", level="commune", valid_to__isnull=False)
    return Parcel.objects.filter(ward=ward).order_by("pk")[10]


def test_plain_sql_edit_renews_touched_tiles_and_keeps_the_others(client, parcel, city_extent):
    minx, miny, maxx, maxy = parcel.geom.extent
    touched_box = (minx, miny, maxx + SHIFT, maxy)
    touched = {t for z in range(14, 21) for t in tiles_covering(touched_box, z)}  # parcels from z14
    far = {t for z in (14, 15, 16) for t in tiles_covering(city_extent, z)} - {  # parcels from z14
        t for z in (14, 15, 16) for t in tiles_covering(
            (minx - 0.01, miny - 0.01, maxx + SHIFT + 0.01, maxy + 0.01), z)}
    far = set(sorted(far)[:40])
    assert touched and far
    before = {t: client.get(f"/tiles/parcels/{t}.pbf")["ETag"] for t in touched | far}
    listener = invalidation.connect()
    with autocommit() as qgis:
        qgis.execute("UPDATE layers_parcel SET geom = ST_Translate(geom, %s, 0) WHERE id = %s",
                     [SHIFT, parcel.pk])
    try:
        removed = invalidation.drain(listener, timeout=1.0)
        after = {t: client.get(f"/tiles/parcels/{t}.pbf") for t in touched | far}
        assert removed > 0
        assert [str(t) for t in touched if after[t]["ETag"] == before[t]] == []
        assert [str(t) for t in far if after[t]["ETag"] != before[t]] == []
        assert all(after[t]["X-Tile-Cache"] == "hit" for t in far)
    finally:
        with autocommit() as qgis:
            qgis.execute("UPDATE layers_parcel SET geom = ST_Translate(geom, %s, 0) WHERE id = %s",
                         [-SHIFT, parcel.pk])
        invalidation.drain(listener, timeout=0.5)
        listener.close()
