"""Benchmark: the map wall on the wall PC, in real Chromium (Playwright, /usr/bin/chromium).

Against `ioc serve` on the database of DATABASE_URL (created, migrated and given the demo city when
it has none), it prints:

* first view at 1920×1080 (one panel) and at 3840×2160 (four panels): requests, bytes on the wire
  (Playwright's Request.sizes(): headers and encoded bodies) and bytes decoded (the bodies as read),
  and the seconds until every panel's map is idle (loaded, its tiles in); the reference: the same
  requests made by a plain HTTP client, six at a time as a browser per host, in the same run (the
  ratio is the wall's overhead over fetching its data: parsing, drawing, the order of its requests);
* the traffic view held open by an operator at zoom 15 over the cameras for --idle seconds while a
  camera sends one detection a second (plain SQL INSERTs, as the vision workers write them): the
  share of those seconds the page's main thread was busy (CDP Performance.getMetrics' TaskDuration),
  and the bytes it downloaded, as bytes per hour.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/tc_<name> .venv/bin/python -m bench.wall_bench
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from bench.live_server import LiveServer, database_config

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
OPERATOR = "vanhanh"
TIMEOUT = 120_000
IDLE_JS = ("() => window.ioc?.panels?.length"
           " && window.ioc.panels.every(p => p.map.loaded() && p.map.areTilesLoaded())")


def prepare_database() -> None:
    """Create the database if missing, migrate it, and load the demo city when it has none."""
    config = database_config()
    admin = config.as_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config.name]).fetchone():
            conn.execute(f'CREATE DATABASE "{config.name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from democity.models import DemoCity

    if not DemoCity.objects.exists():
        started = time.perf_counter()
        call_command("load_demo", verbosity=0)
        print(f"wall bench: demo city loaded in {time.perf_counter() - started:.0f} s")
    call_command("setup_roles", demo=True, verbosity=0)  # the operator who sees the detections


@dataclass
class Traffic:
    """What the page downloaded (the MapLibre worker's requests included): Playwright's finished
    requests, with their sizes on the wire (headers and encoded body) and decoded."""

    requests: int = 0
    wire: int = 0
    decoded: int = 0
    tiles: int = 0
    urls: list[str] = field(default_factory=list)

    def listen(self, context) -> None:
        context.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        if request.url.startswith(("data:", "blob:")):
            return
        self.requests += 1
        self.tiles += "/tiles/" in request.url
        self.urls.append(request.url)
        sizes = request.sizes()
        self.wire += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        response = request.response()
        if response is None or "text/event-stream" in response.headers.get("content-type", ""):
            return
        try:
            self.decoded += len(response.body())
        except Exception:  # noqa: BLE001 - a body the browser did not keep (the worker's): as sent when plain
            if "content-encoding" not in response.headers:
                self.decoded += sizes["responseBodySize"]


def mb(size: float) -> str:
    """Bytes as megabytes, for printing."""
    return f"{size / 1e6:.2f} MB"


def first_view(browser, base: str, width: int, height: int, fragment: str, clock: float) -> dict:
    """A fresh page (empty cache) opening the wall until its maps are idle."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.clock.install(time=clock)  # the demo's 'today', as the browser tests run
    page = context.new_page()
    traffic = Traffic()
    traffic.listen(context)
    started = time.perf_counter()
    page.goto(f"{base}/{fragment}")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT, polling=50)
    seconds = time.perf_counter() - started
    page.wait_for_timeout(300)  # the last loadingFinished events
    figures = {"seconds": seconds, "requests": traffic.requests, "tiles": traffic.tiles,
               "wire": traffic.wire, "decoded": traffic.decoded, "urls": list(traffic.urls)}
    context.close()
    return figures


def plain_fetch(urls: list[str]) -> float:
    """Seconds a plain HTTP client takes to fetch the same URLs (but the live stream), six at a time as
    a browser does per host, asking the same encodings: the reference of a first view."""

    def get(url: str) -> None:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (the bench's own server)
            answer.read()

    wanted = [url for url in urls if "/api/live" not in url and url.startswith("http")]
    started = time.perf_counter()
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(get, wanted))
    return time.perf_counter() - started


def demo_clock() -> float:
    """The demo's 'today' (its events' end), for the pages' clock."""
    from democity.models import DemoCity

    return DemoCity.current().window().end


def _cameras() -> sql.Identifier:
    """The cameras' table, named by its model (SQL by identifier)."""
    from layers.models import Camera

    return sql.Identifier(Camera._meta.db_table)


def _detections() -> sql.Identifier:
    from layers.models import Detection

    return sql.Identifier(Detection._meta.db_table)


def camera_centre() -> tuple[float, float]:
    """The middle of the cameras (lon, lat)."""
    with psycopg.connect(database_config().as_url()) as conn:
        centre = sql.SQL("SELECT ST_X(ST_Centroid(ST_Collect(geom))), ST_Y(ST_Centroid(ST_Collect(geom))) "
                         "FROM {}").format(_cameras())
        return conn.execute(centre).fetchone()


def feed_detections(stop: threading.Event, every: float) -> int:
    """A camera's detections by plain SQL, one each `every` seconds until `stop`; they are removed after."""
    sent = 0
    with psycopg.connect(database_config().as_url(), autocommit=True) as conn:
        while not stop.wait(every):
            conn.execute(sql.SQL(
                "INSERT INTO {} (camera_id, object_class, confidence, observed_at, track_id,"
                " geom) SELECT id, 'car', 0.9, now(), -777, geom FROM {} ORDER BY id LIMIT 1"
            ).format(_detections(), _cameras()))
            sent += 1
        conn.execute(sql.SQL("DELETE FROM {} WHERE track_id = -777").format(_detections()))
    return sent


def traffic_view(browser, base: str, seconds: float, zoom: float) -> dict:
    """An operator's traffic view at `zoom` over the cameras, held `seconds` while detections arrive."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base}/#view=traffic")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    page.fill("#sign-in [name=username]", OPERATOR)
    from spatial.demo_accounts import DEMO_PASSWORD

    page.fill("#sign-in [name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in button[type=submit]")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    lon, lat = camera_centre()
    page.evaluate(f"window.ioc.panels[0].map.jumpTo({{center: [{lon}, {lat}], zoom: {zoom}}})")
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT)
    page.wait_for_timeout(2000)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    traffic = Traffic()
    traffic.listen(context)

    def task_seconds() -> float:
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["TaskDuration"]

    stop = threading.Event()
    result: dict[str, int] = {}
    feeder = threading.Thread(target=lambda: result.update(sent=feed_detections(stop, 1.0)))
    busy_before, started = task_seconds(), time.perf_counter()
    feeder.start()
    page.wait_for_timeout(seconds * 1000)
    busy, elapsed = task_seconds() - busy_before, time.perf_counter() - started
    stop.set()
    feeder.join()
    figures = {"busy": busy / elapsed, "seconds": elapsed, "wire": traffic.wire, "decoded": traffic.decoded,
               "requests": traffic.requests, "tiles": traffic.tiles, "detections": result.get("sent", 0),
               "live": page.evaluate("window.ioc.live.events.length")}
    context.close()
    return figures


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=float, default=30.0, help="seconds the traffic view is held")
    parser.add_argument("--zoom", type=float, default=15.0, help="the traffic view's zoom")
    args = parser.parse_args()
    prepare_database()
    from playwright.sync_api import sync_playwright

    clock = demo_clock()

    with LiveServer("wall-bench", workers=2) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        first_view(browser, server.url, 1280, 720, "", clock)  # warms the server (tile cache): not counted
        for label, (width, height), fragment in (
            ("1920×1080, 1 panel", (1920, 1080), ""),
            ("3840×2160, 4 panels", (3840, 2160), "#view=security&panels=4:security,traffic,planning,land"),
        ):
            f = first_view(browser, server.url, width, height, fragment, clock)
            plain = plain_fetch(f["urls"])
            print(f"first view {label}: map idle after {f['seconds']:.1f} s; {f['requests']} requests "
                  f"({f['tiles']} tiles); {mb(f['wire'])} on the wire, {mb(f['decoded'])} decoded; "
                  f"the same requests by a plain HTTP client: {plain:.2f} s "
                  f"(ratio {f['seconds'] / plain:.1f})")
        t = traffic_view(browser, server.url, args.idle, args.zoom)
        hour = 3600 / t["seconds"]
        print(f"traffic view at zoom {args.zoom:g}, {t['seconds']:.0f} s with {t['detections']} detections"
              f" arriving ({t['live']} drawn live): main thread busy {t['busy']:.0%}; {t['requests']}"
              f" requests ({t['tiles']} tiles), {mb(t['wire'] * hour)}/h on the wire"
              f" ({mb(t['decoded'] * hour)}/h decoded)")
        browser.close()


if __name__ == "__main__":
    main()
