"""Benchmark: the map's search box, `GET /api/search` over HTTP (`ioc serve`), against the same SQL
statement (web_map.search_sql, built for the same viewer and text) run raw with psycopg, interleaved.

Typical searches of the demo city: a parcel by sheet and number in three forms (one within a ward),
a ward without diacritics, a street, an address, a facility, an incident code, a slip of the
keyboard, and an owner's name (as the land official of Đồng Tâm, HTTP Basic). Prints each query's
p50 and p95 over HTTP and raw, the ratio of the medians, and how many hits; then all queries pooled.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from urllib.parse import urlencode

import psycopg

from bench.live_server import Client, LiveServer, add_server_arguments, setup_django

APP_NAME = "bench-search-server"
LAND_OFFICIAL, PASSWORD = "diachinh.dongtam", "toancanh-demo"
TARGET = 2.0  # the API may cost at most twice its SQL (the median of each query)


def percentile(times: list[float], share: float) -> float:
    """The `share` quantile of the times (nearest rank)."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(times: list[float]) -> str:
    """'p50 X ms, p95 Y ms' for printing."""
    return f"p50 {1000 * statistics.median(times):6.2f} ms, p95 {1000 * percentile(times, 0.95):6.2f} ms"


def queries() -> list[tuple[str, dict, str | None]]:
    """(name, parameters, user) of each search measured; the owner and code come from the data."""
    from layers.models import AdminUnit, Incident, ParcelOwner

    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune")
    owner = ParcelOwner.objects.filter(parcel__ward=ward).order_by("id").first().full_name
    code = Incident.objects.order_by("code").values_list("code", flat=True).first()
    return [
        ("parcel 'tờ 1 thửa 9'", {"q": "tờ 1 thửa 9"}, None),
        ("parcel '1/9' in Đồng Tâm", {"q": "1/9", "ward": ward.code}, None),
        ("parcel 't1 th9'", {"q": "t1 th9"}, None),
        ("ward 'dong tam'", {"q": "dong tam"}, None),
        ("street 'tran binh trong'", {"q": "tran binh trong"}, None),
        ("address '119 ba trieu'", {"q": "119 ba trieu"}, None),
        ("facility 'mam non hoa sen'", {"q": "mam non hoa sen"}, None),
        ("incident code", {"q": code.lower()}, None),
        ("a slip 'dong tarn'", {"q": "dong tarn"}, None),
        ("owner's name (land official)", {"q": owner}, LAND_OFFICIAL),
    ]


class RawSearch:
    """The search's own statement for one viewer and text, run on a connection of its own."""

    def __init__(self, url: str, params: dict, username: str | None) -> None:
        from django.contrib.auth.models import User

        from layers.search import SEARCH_KINDS
        from spatial.access import ANONYMOUS, Viewer
        from web_map.search import area_of, searched_layers, terms_of
        from web_map.search_sql import statement
        from web_map.stats import unit_params

        viewer = Viewer.of(User.objects.get(username=username)) if username else ANONYMOUS
        terms = terms_of(params["q"], area_of(params.get("ward", "")), 10)
        query, values = statement(searched_layers(viewer), viewer, terms)
        values.update(unit_params(viewer), kinds=list(SEARCH_KINDS))
        # Django's psycopg backend binds parameters on the client side; so does this cursor.
        self.connection = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
        self.query, self.values = query.as_string(self.connection), values

    def run(self) -> tuple[float, list[tuple]]:
        start = time.perf_counter()
        rows = self.connection.execute(self.query, self.values).fetchall()
        return time.perf_counter() - start, rows


def measure(client: Client, params: dict, raw: RawSearch,
            runs: int) -> tuple[list[float], list[float], bool, int]:
    """HTTP and SQL times, interleaved (a warm-up first); whether both found the same hits; how many."""
    path = f"/api/search?{urlencode(params)}"
    http_times, sql_times = [], []
    for run in range(runs + 1):
        pair = [("http", path), ("sql", None)]
        for which, target in pair if run % 2 else pair[::-1]:
            if which == "http":
                response = client.get(target)
                if response.status != 200:
                    raise SystemExit(f"{target}: HTTP {response.status} {response.body[:300]!r}")
                seconds = response.seconds
                hits = [(hit["layer"], hit["id"]) for hit in json.loads(response.body)["results"]]
            else:
                seconds, rows = raw.run()
                found = [(row[0], row[1]) for row in rows]
            if run:
                (http_times if which == "http" else sql_times).append(seconds)
    return http_times, sql_times, hits == found, len(hits)


def main() -> None:
    """Each query over HTTP against its raw SQL, then all pooled."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    add_server_arguments(parser)
    args = parser.parse_args()
    db = setup_django(args.peer_sized)
    server = LiveServer(APP_NAME, workers=args.workers, app=args.app, interface=args.interface)
    basic = base64.b64encode(f"{LAND_OFFICIAL}:{PASSWORD}".encode()).decode()
    clients = {None: Client(server.port),
               LAND_OFFICIAL: Client(server.port, {"Authorization": f"Basic {basic}"})}
    try:
        print(f"bench/search: /api/search against its own SQL run raw, {args.runs} runs each (after one "
              f"warm-up), interleaved; {args.app or 'ioc serve'} at {server.url}, database {db.name}")
        every_http, every_sql = [], []
        for name, params, user in queries():
            raw = RawSearch(db.as_url(), params, user)
            http_times, sql_times, same, count = measure(clients[user], params, raw, args.runs)
            raw.connection.close()
            every_http += http_times
            every_sql += sql_times
            ratio = statistics.median(http_times) / statistics.median(sql_times)
            print(f"  {name:32} {count:2} hits, same as SQL: {'yes' if same else 'NO'} | "
                  f"HTTP {ms(http_times)} | SQL {ms(sql_times)} | ratio {ratio:.2f}×")
        ratio = statistics.median(every_http) / statistics.median(every_sql)
        print(f"  all queries: HTTP {ms(every_http)} | SQL {ms(every_sql)} | ratio of medians {ratio:.2f}× "
              f"(target {TARGET}×: {'met' if ratio <= TARGET else 'missed'})")
    finally:
        for client in clients.values():
            client.close()
        server.stop()


if __name__ == "__main__":
    main()
