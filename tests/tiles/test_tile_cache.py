"""The tile cache writes in the background and never keeps a tile rendered before an edit."""

from __future__ import annotations

import psycopg
from django.conf import settings

from spatial.config import DatabaseConfig
from tiles import cache
from tiles.database import TILE_SESSION_OPTIONS, TileSession
from tiles.grid import Tile

TILE = Tile(15, 25932, 14358)


def test_a_rendered_tile_is_served_from_memory_until_written_then_from_disk(tile_cache):
    cache.put_soon("parcels", TILE, "v1", b"tile-bytes", cache.generation())
    assert cache.get("parcels", TILE, "v1") == b"tile-bytes"  # written or not yet, it is there
    cache.flush()
    assert (tile_cache / "parcels" / "15" / "25932" / "14358" / "v1.pbf").read_bytes() == b"tile-bytes"


def test_a_tile_rendered_before_an_invalidation_is_never_written_after_it(tile_cache):
    rendered_in = cache.generation()  # the render reads the data...
    cache.invalidate("parcels", [TILE])  # ...an edit commits and its notice arrives...
    cache.put_soon("parcels", TILE, "v1", b"old-bytes", rendered_in)  # ...then the render ends
    cache.flush()
    assert cache.get("parcels", TILE, "v1") is None


def test_after_an_invalidation_returns_the_tile_is_gone_whether_written_yet_or_not(tile_cache):
    for _ in range(50):  # the writer thread may or may not have written it when the edit arrives
        cache.put_soon("parcels", TILE, "v1", b"old-bytes", cache.generation())
        cache.invalidate("parcels", [TILE])
        assert cache.get("parcels", TILE, "v1") is None
        cache.flush()
        assert cache.get("parcels", TILE, "v1") is None


def test_tile_sessions_plan_no_parallel_workers_and_the_database_compiles_no_jit(db):
    session = TileSession(DatabaseConfig.of_django().as_url())
    try:
        assert session.fetch("SELECT current_setting(%s)::bytea", ["max_parallel_workers_per_gather"]) == b"0"
        assert session.fetch("SELECT current_setting(%s)::bytea", ["jit"]) == b"off"
    finally:
        session.close()
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"],
                         options=TILE_SESSION_OPTIONS) as other:
        assert other.execute("SHOW jit").fetchone()[0] == "off"  # any session: a database setting
