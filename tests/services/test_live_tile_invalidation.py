"""On the running server, a plain-SQL edit (as from QGIS) renews the cached tile at once."""

from __future__ import annotations

import time

import psycopg
import pytest
import requests
from django.conf import settings

from layers.models import AdminUnit, Parcel
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db


def test_sql_edit_reaches_the_server_cache_within_a_second(server_url):
    ward = AdminUnit.objects.get(name="Minh Tân", level="commune", valid_to__isnull=False)
    parcel = Parcel.objects.filter(ward=ward).order_by("pk")[5]
    x, y = parcel.geom.centroid.coords
    url = f"{server_url}/tiles/parcels/{next(tiles_covering((x, y, x, y), 17))}.pbf"
    requests.get(url, timeout=10)
    cached = requests.get(url, timeout=10)
    assert cached.headers["X-Tile-Cache"] == "hit"
    db = settings.DATABASES["default"]
    dsn = dict(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"],
               password=db["PASSWORD"] or None, autocommit=True)
    with psycopg.connect(**dsn) as qgis:
        qgis.execute("UPDATE layers_parcel SET land_use = 'TMD' WHERE id = %s", [parcel.pk])
    edited_at = time.perf_counter()
    try:
        while True:
            response = requests.get(url, timeout=10)
            if response.headers["ETag"] != cached.headers["ETag"]:
                break
            assert time.perf_counter() - edited_at < 1.0, "the cached tile is stale a second after the edit"
            time.sleep(0.02)
        assert response.headers["X-Tile-Cache"] == "miss"
    finally:
        with psycopg.connect(**dsn) as qgis:
            qgis.execute("UPDATE layers_parcel SET land_use = %s WHERE id = %s", [parcel.land_use, parcel.pk])
