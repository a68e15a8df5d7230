"""Benchmark: 1,000-item OGC API – Features pages over HTTP against the raw SQL building the same GeoJSON.

Pages of `parcels` (anonymous) and `detections` (restricted: the demo operator `vanhanh`, HTTP
Basic) from `ioc serve`, each against one SQL statement on the same database that builds the
same FeatureCollection (ST_AsGeoJSON + json_build_object of the viewer's readable properties +
json_agg), interleaved; medians and ratios. Then deep pages of detections: offset=50,000, and
the same page reached by following `next` (cursor) links, each against page 1. Last, `as-of`
pages of parcels (the layer as it was, read from its history) against today's page of the same
request: page 1, a page after a cursor, and a bbox page.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from bench.live_server import Client, LiveServer, add_server_arguments, setup_django

APP_NAME = "bench-ogc-server"
OPERATOR, PASSWORD = "vanhanh", "toancanh-demo"
TARGET_ITEMS, TARGET_DEEP, TARGET_AS_OF = 1.5, 1.5, 2.0


def ensure_operator() -> None:
    """The demo operator must exist; `ioc setup_roles --demo` creates it (idempotent)."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    if not User.objects.filter(username=OPERATOR).exists():
        call_command("setup_roles", demo=True, verbosity=0)
        print(f"  (demo account {OPERATOR!r} was missing: created with `ioc setup_roles --demo`)")


def feature_collection_sql(layer_id: str, username: str | None) -> sql.Composable:
    """One statement giving a page (%s limit, %s offset) as a GeoJSON FeatureCollection text.

    The properties are those the viewer may read, named as the API names them, with times in
    local ISO 8601 (spatial.sql.local_iso); geometry with 7 decimals, as the provider writes it.
    """
    from django.contrib.auth.models import User
    from django.db import models

    from layers.registry import registry
    from spatial.access import ANONYMOUS, Viewer
    from spatial.sql import local_iso

    layer = registry.get(layer_id)
    viewer = Viewer.of(User.objects.get(username=username)) if username else ANONYMOUS
    meta = layer.model_class._meta
    properties = []
    for name in viewer.readable_fields(layer):
        model_field = meta.get_field(name)
        column = sql.SQL("t.{}").format(sql.Identifier(model_field.attname))
        value = local_iso(column) if isinstance(model_field, models.DateTimeField) else column
        properties.append(sql.SQL("{}, {}").format(sql.Literal(name), value))
    conditions = [
        sql.SQL("{} = {}").format(sql.Identifier(meta.get_field(name).column), sql.Literal(value))
        for name, value in layer.filter.items()
    ] or [sql.SQL("true")]
    return sql.SQL(
        "SELECT json_build_object('type', 'FeatureCollection', 'numberReturned', count(*), "
        "'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', t.id, "
        "'geometry', ST_AsGeoJSON(t.{geom}, 7)::json, 'properties', json_build_object({properties}))), "
        "'[]'))::text FROM (SELECT * FROM {table} WHERE {conditions} ORDER BY id LIMIT %s OFFSET %s) t"
    ).format(
        geom=sql.Identifier(meta.get_field(layer.geometry_field).column),
        properties=sql.SQL(", ").join(properties),
        table=sql.Identifier(meta.db_table),
        conditions=sql.SQL(" AND ").join(conditions),
    )


class RawPages:
    """The raw SQL of a layer's pages, run with psycopg on its own connection."""

    def __init__(self, url: str, layer_id: str, username: str | None) -> None:
        # Django's psycopg backend binds parameters on the client side; so does this cursor.
        self.connection = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
        self.query = feature_collection_sql(layer_id, username).as_string(self.connection)

    def page(self, limit: int, offset: int = 0) -> tuple[float, dict]:
        """(seconds, the parsed FeatureCollection) of one page; the text is fetched whole."""
        start = time.perf_counter()
        text = self.connection.execute(self.query, [limit, offset]).fetchone()[0]
        seconds = time.perf_counter() - start
        return seconds, json.loads(text)


def fetch(client: Client, path: str) -> tuple[float, dict]:
    """(seconds, parsed body) of a 200 response, else exit naming the problem."""
    response = client.get(path)
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status} {response.body[:300]!r}")
    return response.seconds, json.loads(response.body)


def compare(
    client: Client, path: str, raw: RawPages, limit: int, offset: int, runs: int
) -> tuple[list[float], list[float], bool, dict]:
    """HTTP and SQL times of one page, interleaved; whether both gave the same features; the page."""
    http_times, sql_times = [], []
    for run in range(runs + 1):  # the first run warms up and is not counted
        order = (0, 1) if run % 2 else (1, 0)
        results = {}
        for which in order:
            results[which] = fetch(client, path) if which == 0 else raw.page(limit, offset)
        if run:
            http_times.append(results[0][0])
            sql_times.append(results[1][0])
    same = results[0][1]["features"] == results[1][1]["features"]
    return http_times, sql_times, same, results[0][1]


def follow_next(client: Client, path: str, hops: int) -> str:
    """The path reached from `path` by following `hops` next links."""
    for _ in range(hops):
        _, body = fetch(client, path)
        nexts = [link["href"] for link in body.get("links", []) if link.get("rel") == "next"]
        if not nexts:
            raise SystemExit(f"{path}: no next link")
        parts = urlsplit(nexts[0])
        path = f"{parts.path}?{parts.query}"
    return path


def ms(times: list[float]) -> str:
    """'median X ms (min–max)' for printing."""
    low, high = 1000 * min(times), 1000 * max(times)
    return f"median {1000 * statistics.median(times):6.1f} ms ({low:.0f}–{high:.0f})"


def verdict(ratio: float, target: float) -> str:
    """'met' or 'missed' against a target ratio."""
    return f"target {target}×: {'met' if ratio <= target else 'missed'}"


def page_one(
    client: Client, db_url: str, layer_id: str, username: str | None, limit: int, runs: int
) -> float:
    """Print page 1 of `layer_id` over HTTP against raw SQL; return the HTTP median (s)."""
    raw = RawPages(db_url, layer_id, username)
    http_times, sql_times, same, body = compare(
        client, f"/ogc/collections/{layer_id}/items?f=json&limit={limit}", raw, limit, 0, runs
    )
    size = len(json.dumps(body).encode())
    matched = f"numberMatched {body['numberMatched']:,}" if "numberMatched" in body else "no numberMatched"
    ratio = statistics.median(http_times) / statistics.median(sql_times)
    who = f"{username}, Basic" if username else "anonymous"
    print(
        f"  {layer_id} page 1 ({who}), {size / 1e6:.2f} MB, {matched}, "
        f"features identical: {'yes' if same else 'NO'}"
    )
    print(
        f"    HTTP {ms(http_times)} | raw SQL {ms(sql_times)} | ratio {ratio:.2f}× "
        f"({verdict(ratio, TARGET_ITEMS)})"
    )
    raw.connection.close()
    return statistics.median(http_times)


def deep_pages(client: Client, db_url: str, limit: int, depth: int, runs: int, page1: float) -> None:
    """Print detections at offset=`depth` and at the same depth by cursor, against page 1."""
    raw = RawPages(db_url, "detections", OPERATOR)
    offset_path = f"/ogc/collections/detections/items?f=json&limit={limit}&offset={depth}"
    http_times, sql_times, same, _ = compare(client, offset_path, raw, limit, depth, runs)
    offset_median = statistics.median(http_times)
    ratio = offset_median / page1
    print(f"  detections offset={depth:,} (features identical to raw SQL: {'yes' if same else 'NO'})")
    print(
        f"    HTTP {ms(http_times)} = {ratio:.2f}× page 1 ({verdict(ratio, TARGET_DEEP)}) | "
        f"raw SQL same offset {ms(sql_times)}"
    )
    start = time.perf_counter()
    cursor_path = follow_next(
        client, f"/ogc/collections/detections/items?f=json&limit={limit}", depth // limit
    )
    walk = time.perf_counter() - start
    _, by_offset = fetch(client, offset_path)
    _, by_cursor = fetch(client, cursor_path)
    cursor_times = [fetch(client, cursor_path)[0] for _ in range(runs)]
    ratio = statistics.median(cursor_times) / page1
    identical = by_cursor["features"] == by_offset["features"]
    print(
        f"  detections after {depth // limit} next links ({urlsplit(cursor_path).query}; walked in "
        f"{walk:.1f} s; same features as offset={depth:,}: {'yes' if identical else 'NO'})"
    )
    print(
        f"    HTTP {ms(cursor_times)} = {ratio:.2f}× page 1 ({verdict(ratio, TARGET_DEEP)}); "
        f"offset={depth:,} takes {offset_median / statistics.median(cursor_times):.2f}× this page"
    )
    raw.connection.close()


def as_of_pages(client: Client, limit: int, runs: int) -> None:
    """Print as-of pages of parcels against today's page of the same request, interleaved."""
    from django.utils import timezone

    moment = timezone.now().isoformat().replace("+", "%2B")
    today = f"/ogc/collections/parcels/items?f=json&limit={limit}"
    _, first = fetch(client, today)
    middle = first["features"][len(first["features"]) // 2]["id"]
    requests = {"page 1": "", "after a cursor": f"&cursor={middle}",
                "bbox of Đồng Tâm": "&bbox=104.895,21.680,104.915,21.700"}
    for name, extra in requests.items():
        _, past = fetch(client, f"{today}{extra}&as-of={moment}")
        same = past["features"] == fetch(client, today + extra)[1]["features"]
        now_times, past_times = [], []
        for run in range(runs):
            pair = [(now_times, today + extra), (past_times, f"{today}{extra}&as-of={moment}")]
            for times, path in pair if run % 2 else pair[::-1]:
                times.append(fetch(client, path)[0])
        ratio = statistics.median(past_times) / statistics.median(now_times)
        print(f"  parcels as-of now, {name} ({past['numberReturned']:,} features; same as today: "
              f"{'yes' if same else 'NO'})")
        print(f"    as-of {ms(past_times)} | today {ms(now_times)} | ratio {ratio:.2f}× "
              f"({verdict(ratio, TARGET_AS_OF)})")


def main() -> None:
    """Page 1 of parcels and detections against raw SQL, then deep pages of detections."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--depth", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    add_server_arguments(parser)
    args = parser.parse_args()
    db = setup_django(args.peer_sized)
    server = LiveServer(APP_NAME, workers=args.workers, app=args.app, interface=args.interface)
    try:
        print(
            f"bench/ogc: {args.limit:,}-item pages, median of {args.runs} runs (after one warm-up), "
            f"HTTP and SQL interleaved; {args.app or 'ioc serve'} (workers: {args.workers}) at {server.url}, "
            f"database {db.name}"
        )
        ensure_operator()
        page_one(Client(server.port), db.as_url(), "parcels", None, args.limit, args.runs)
        basic = base64.b64encode(f"{OPERATOR}:{PASSWORD}".encode()).decode()
        client = Client(server.port, {"Authorization": f"Basic {basic}"})
        page1 = page_one(client, db.as_url(), "detections", OPERATOR, args.limit, args.runs)
        deep_pages(client, db.as_url(), args.limit, args.depth, args.runs, page1)
        as_of_pages(Client(server.port), args.limit, args.runs)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
