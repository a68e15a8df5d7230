"""The tile cache is shared by every worker, never keeps a tile rendered before an edit, never fills up."""

from __future__ import annotations

import subprocess
import sys

import psycopg
from django.conf import settings

from spatial.config import DatabaseConfig
from tiles import cache
from tiles.database import TILE_SESSION_OPTIONS, TileSession
from tiles.grid import Tile

TILE = Tile(15, 25932, 14358)


def test_a_cached_tile_is_on_disk_for_every_worker_process(tile_cache):
    cache.put("parcels", TILE, "v1", b"tile-bytes", cache.generation())
    assert cache.get("parcels", TILE, "v1") == b"tile-bytes"
    other_process = subprocess.run(
        [sys.executable, "-c", "import lmdb, sys; env = lmdb.open(sys.argv[1], max_dbs=2, readonly=True); "
         "txn = env.begin(db=env.open_db(b'tiles', create=False)); "
         "sys.stdout.buffer.write(txn.get(b'parcels/15/25932/14358/v1'))", str(tile_cache)],
        capture_output=True, check=True)
    assert other_process.stdout == b"tile-bytes"


def test_a_tile_rendered_before_an_invalidation_is_never_written_after_it(tile_cache):
    rendered_in = cache.generation()  # the render reads the data...
    cache.invalidate("parcels", [TILE])  # ...an edit commits and its notice arrives...
    cache.put("parcels", TILE, "v1", b"old-bytes", rendered_in)  # ...then the render ends
    assert cache.get("parcels", TILE, "v1") is None


def test_an_invalidation_removes_every_variant_of_the_tile_in_every_list_holding_the_layer(tile_cache):
    neighbour = Tile(15, 25932, 14359)
    cached = [("parcels", TILE, "v1"), ("parcels", TILE, "v2"), ("roads,parcels", TILE, "v1"),
              ("roads", TILE, "v1"), ("parcels", neighbour, "v1")]
    for layers, tile, name in cached:
        cache.put(layers, tile, name, b"bytes")
    assert cache.invalidate("parcels", [TILE]) == 2  # (parcels, TILE) and (roads,parcels, TILE)
    assert cache.get("parcels", TILE, "v1") is cache.get("parcels", TILE, "v2") is None
    assert cache.get("roads,parcels", TILE, "v1") is None
    assert cache.get("roads", TILE, "v1") == cache.get("parcels", neighbour, "v1") == b"bytes"


def test_clearing_one_layer_list_keeps_the_others(tile_cache):
    cache.put("parcels", TILE, "v1", b"bytes")
    cache.put("parcels,roads", TILE, "v1", b"bytes")
    cache.clear("parcels")
    assert cache.get("parcels", TILE, "v1") is None
    assert cache.get("parcels,roads", TILE, "v1") == b"bytes"


def test_a_full_cache_empties_itself_and_goes_on(tile_cache, settings):
    settings.TILE_CACHE_MB = 1
    tile = bytes(200_000)
    for y in range(20):  # 4 MB into 1 MB
        cache.put("parcels", Tile(15, 25932, y), "v1", tile)
    assert cache.get("parcels", Tile(15, 25932, 19), "v1") == tile


def test_a_damaged_cache_found_at_start_is_emptied_and_used(tile_cache, caplog):
    tile_cache.mkdir(parents=True)
    (tile_cache / "data.mdb").write_bytes(b"not an LMDB file" * 512)  # a crash before the pages reached disk
    assert cache.get("parcels", TILE, "v1") is None
    assert "unreadable" in caplog.text
    cache.put("parcels", TILE, "v1", b"tile-bytes")
    assert cache.get("parcels", TILE, "v1") == b"tile-bytes"


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
