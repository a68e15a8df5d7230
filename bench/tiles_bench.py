"""Benchmark: vector tiles over HTTP against the same ST_AsMVT SQL run directly, then cached tiles.

Uncached: random tiles (z12–16, over the parcels' extent, fixed seed) from `ioc serve` whose
tile cache starts empty in every round, each against its own ST_AsMVT query (tiles.mvt.tile_query,
anonymous viewer) executed with psycopg on the same database, interleaved; p50/p95 and the ratio.
Cached: requests per second with wrk on tiles already on disk, and what the server did in the
database meanwhile (its connections are tagged with PGAPPNAME and looked up in pg_stat_activity).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.live_server import (
    Client,
    DatabaseActivity,
    LiveServer,
    add_server_arguments,
    database_config,
    setup_django,
)

LAYER_SETS = ("parcels", "parcels,roads,water")
ZOOMS = range(12, 17)
APP_NAME = "bench-tiles-server"
TARGET_UNCACHED = 1.2

LUA = """
local paths = {%s}
local counter = 1
function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
end
function init(args)
  index = first * 7919 %% #paths
end
function request()
  index = index %% #paths + 1
  return wrk.format("GET", paths[index])
end
"""


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0–1) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def choose_tiles(bounds: tuple[float, float, float, float], count: int, seed: int) -> list:
    """`count` distinct tiles over `bounds`: a random zoom in 12–16, then a random tile of it."""
    from tiles.grid import tiles_covering

    rng = random.Random(seed)
    candidates = {z: sorted(tiles_covering(bounds, z)) for z in ZOOMS}
    if count > sum(len(tiles) for tiles in candidates.values()):
        raise SystemExit(f"only {sum(map(len, candidates.values()))} tiles cover the extent")
    chosen: list = []
    while len(chosen) < count:
        zoom = rng.choice([z for z in ZOOMS if candidates[z]])
        chosen.append(candidates[zoom].pop(rng.randrange(len(candidates[zoom]))))
    return chosen


@dataclass
class Timings:
    http: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    prepared: list[float] = field(default_factory=list)  # the same SQL as the server runs it
    different: int = 0
    sizes: list[int] = field(default_factory=list)


class DirectTiles:
    """The tile SQL of tiles.service.render for the anonymous viewer, run with psycopg directly.

    As raw SQL: the values bound into the text on the client, as psql or Django would send it,
    each query parsed and planned anew; the session has the tile sessions' settings.
    """

    def __init__(self, url: str) -> None:
        from tiles.database import TILE_SESSION_OPTIONS, TileSession

        self.connection = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                                          options=TILE_SESSION_OPTIONS)
        # what the server does (tiles.database): prepared once per session, binary result, on libpq
        self.prepared = TileSession(url)

    def query(self, names: str, tile: object) -> tuple[str, list]:
        """The SQL text and parameters giving tile `tile` of layers `names`."""
        from layers.registry import registry
        from spatial.access import ANONYMOUS
        from tiles.mvt import TileFilter, tile_query
        from tiles.service import tile_fields

        parts = [
            (registry.get(name), tile_fields(registry.get(name), ANONYMOUS, tile.z))
            for name in names.split(",")
        ]
        query, params = tile_query(parts, tile, TileFilter())
        return query, params

    def run(self, query: str, params: list) -> bytes:
        """Run one tile query (from `query`) and fetch the tile's bytes."""
        with self.connection.cursor() as cursor:
            cursor.execute(query, params)
            return bytes(cursor.fetchone()[0])

    def run_prepared(self, query: str, params: list) -> bytes:
        """The same query as the server runs it (tiles.database.TileSession)."""
        return self.prepared.fetch(query, params)


def uncached_round(
    client: Client,
    direct: DirectTiles,
    names: str,
    tiles: list,
    timings: Timings,
    sql_first: bool,
) -> None:
    """Empty the layer set's cache; per tile, one HTTP request (a miss) and one direct query."""
    from tiles import cache

    cache.clear(names)  # the server's cache (settings.TILE_CACHE_DIR, set by main)
    for i, tile in enumerate(tiles):
        query, params = direct.query(names, tile)

        def over_sql(query: str = query, params: list = params) -> bytes:
            start = time.perf_counter()
            content = direct.run(query, params)
            timings.sql.append(time.perf_counter() - start)
            return content

        start = time.perf_counter()
        direct.run_prepared(query, params)
        timings.prepared.append(time.perf_counter() - start)
        sql_before = (i % 2 == 0) == sql_first  # alternate which goes first
        if sql_before:
            content = over_sql()
        response = client.get(f"/tiles/{names}/{tile}.pbf")
        if not sql_before:
            content = over_sql()
        if response.status != 200 or response.headers.get("x-tile-cache") != "miss":
            raise SystemExit(
                f"/tiles/{names}/{tile}.pbf: {response.status} "
                f"{response.headers.get('x-tile-cache')} {response.body[:200]!r}"
            )
        timings.http.append(response.seconds)
        timings.sizes.append(len(response.body))
        timings.different += response.body != content


def run_wrk(url: str, script: Path, connections: int, seconds: int) -> tuple[float, str, int]:
    """(requests/s, average latency, requests) of `wrk -t2 -c<connections> -d<seconds>s`."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"Latency\s+(\S+)", output).group(1)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return rate, latency, total


def cached(server: LiveServer, client: Client, urls: list[str], seconds: int) -> None:
    """Check every URL is a cache hit, then wrk at 2 and 16 connections, watching the database."""
    for path in urls:
        response = client.get(path)
        if response.status != 200 or response.headers.get("x-tile-cache") != "hit":
            raise SystemExit(
                f"{path}: expected a cached tile, got {response.status} "
                f"{response.headers.get('x-tile-cache')}"
            )
    client.close()
    with tempfile.NamedTemporaryFile("w", prefix="bench-tiles-", suffix=".lua", delete=False) as lua:
        lua.write(LUA % ", ".join(f'"{path}"' for path in urls))
    activity = DatabaseActivity(database_config(), APP_NAME)
    print(
        f"  cached: {len(urls)} tiles already on disk (each checked: X-Tile-Cache: hit), "
        f"wrk -t2 -d{seconds}s:"
    )
    try:
        for connections in (2, 16):
            activity.start()
            rate, latency, total = run_wrk(server.url, Path(lua.name), connections, seconds)
            by_server, transactions, sessions = activity.stop()
            print(
                f"    -c{connections:<3} {rate:8,.0f} requests/s (latency avg {latency}, "
                f"{total:,} requests); "
                f"database: {by_server} server sessions active or opened during the run; "
                f"database-wide +{transactions} transactions, +{sessions} sessions "
                "(this probe and other clients included)"
            )
            print(
                f"    target cached tiles served without touching the database: "
                f"{'met' if by_server == 0 else 'missed'}"
            )
    finally:
        activity.close()
        Path(lua.name).unlink()


def describe(label: str, timings: Timings) -> tuple[float, float]:
    """Print one layer set's uncached figures; return the p50 and p95 ratios."""
    ms = {kind: [1000 * s for s in getattr(timings, kind)] for kind in ("http", "sql", "prepared")}
    p = {kind: (percentile(ms[kind], 0.5), percentile(ms[kind], 0.95)) for kind in ms}
    ratios = (p["http"][0] / p["sql"][0], p["http"][1] / p["sql"][1])
    print(
        f"    {label:<20} HTTP   p50 {p['http'][0]:6.1f} ms  p95 {p['http'][1]:6.1f} ms "
        f"(mean size {sum(timings.sizes) / len(timings.sizes) / 1024:,.1f} KiB, "
        f"{timings.different} differ from SQL)"
    )
    print(f"    {'':<20} SQL    p50 {p['sql'][0]:6.1f} ms  p95 {p['sql'][1]:6.1f} ms   (raw: the reference)")
    print(f"    {'':<20} SQL    p50 {p['prepared'][0]:6.1f} ms  p95 {p['prepared'][1]:6.1f} ms   "
          "(the same, run as the server runs it; for information)")
    overhead = percentile([h - q for h, q in zip(ms["http"], ms["sql"], strict=True)], 0.5)
    print(
        f"    {'':<20} ratio  p50 {ratios[0]:.2f}×     p95 {ratios[1]:.2f}×   "
        f"(per tile, HTTP − SQL: median {overhead:.1f} ms)"
    )
    return ratios


def main() -> None:
    """Uncached p50/p95 against direct SQL, then cached requests per second with wrk."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    add_server_arguments(parser)
    args = parser.parse_args()
    db = setup_django(args.peer_sized)
    direct = DirectTiles(db.as_url())
    from psycopg import sql

    from layers.models import Parcel

    extent = direct.connection.execute(sql.SQL(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e "
        "FROM {}) s").format(sql.Identifier(Parcel._meta.db_table))
    ).fetchone()
    tiles = choose_tiles(tuple(extent), args.tiles, args.seed)
    by_zoom = ", ".join(f"z{z}: {sum(t.z == z for t in tiles)}" for z in ZOOMS)
    work = Path(tempfile.mkdtemp(prefix="bench-tiles-"))
    cache_dir = work / "cache"
    from django.conf import settings

    settings.TILE_CACHE_DIR = cache_dir  # the server's: uncached rounds empty it from here
    server = LiveServer(
        APP_NAME,
        {"IOC_TILE_CACHE_DIR": str(cache_dir)},
        workers=args.workers,
        app=args.app,
        interface=args.interface,
    )
    try:
        print(
            f"bench/tiles: {len(tiles)} tiles over the parcels' extent (seed {args.seed}; {by_zoom}), "
            f"{args.app or 'ioc serve'} (workers: {args.workers}) at {server.url}, database {db.name}"
        )
        client = Client(server.port)
        for names in LAYER_SETS:  # warm up: the server's code paths and the database's buffers
            for tile in tiles[:20]:
                client.get(f"/tiles/{names}/{tile}.pbf")
            for tile in tiles:
                direct.run(*direct.query(names, tile))
        print(f"  uncached, {args.rounds} rounds (cache emptied before each), HTTP and SQL interleaved:")
        ratios = {}
        for names in LAYER_SETS:
            timings = Timings()
            for round_no in range(args.rounds):
                uncached_round(client, direct, names, tiles, timings, sql_first=round_no % 2 == 1)
            ratios[names] = describe(names, timings)
        urls = [f"/tiles/{names}/{tile}.pbf" for names in LAYER_SETS for tile in tiles]
        cached(server, client, urls, args.seconds)
        for names, (p50, p95) in ratios.items():
            verdict = "met" if max(p50, p95) <= TARGET_UNCACHED else "missed"
            print(f"  target uncached {names} within {TARGET_UNCACHED}× of SQL (p50 and p95): {verdict}")
    finally:
        server.stop()
        direct.connection.close()
        direct.prepared.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
