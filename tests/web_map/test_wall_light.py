"""#20 item 4, the wall light on the wall PC: compressed answers (JSON, static files, tiles) where the
protocol allows it, a year's immutable caching of the bundle's hashed files, and a traffic view whose
tiles are not downloaded again when detections arrive (the live layer draws them from the feed)."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter

import brotli
import psycopg
import pytest
from wall import database_url, sign_in

from layers.models import AdminUnit, Parcel
from tiles.grid import tiles_covering
from web_map.views import bundle

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}
BROTLI = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}  # what a browser sends over HTTPS
DONG_TAM = (104.9035, 21.689)
A_DETECTION = ("INSERT INTO layers_detection (camera_id, object_class, confidence, observed_at, track_id,"
               " geom) SELECT id, 'car', 0.9, now(), -20204, geom FROM layers_camera ORDER BY id LIMIT 1")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_json_static_files_and_tiles_come_gzipped_when_asked(client):
    plain, packed = client.get("/api/layers"), client.get("/api/layers", **GZIP)
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3

    script = bundle()["scripts"][0]  # the bundle's hashed main script (main-<hash>.js)
    static = client.get(f"/static/web_map/{script}", **GZIP)
    assert static.status_code == 200 and static["Content-Encoding"] == "gzip"
    cache = static["Cache-Control"]
    assert "immutable" in cache and int(cache.split("max-age=")[1].split(",")[0]) >= 31536000
    assert gzip.decompress(body_of(static)) == body_of(client.get(f"/static/web_map/{script}"))

    tile = next(tiles_covering((*DONG_TAM, *DONG_TAM), 14))
    url = f"/tiles/wards,roads/{tile.z}/{tile.x}/{tile.y}.pbf"
    raw, zipped = client.get(url), client.get(url, **GZIP)
    assert "Content-Encoding" not in raw and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == raw.content
    assert zipped["ETag"] != raw["ETag"]  # another representation, another validator
    assert client.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"], **GZIP).status_code == 304


@pytest.mark.django_db
def test_static_files_come_in_brotli_and_json_stays_gzip_when_a_browser_accepts_both(client):
    script = f"/static/web_map/{bundle()['scripts'][0]}"
    packed = client.get(script, **BROTLI)
    assert packed.status_code == 200 and packed["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed["Vary"]
    plain, zipped = body_of(client.get(script)), body_of(client.get(script, **GZIP))
    assert brotli.decompress(body_of(packed)) == plain
    assert len(body_of(packed)) < len(zipped)  # smaller than gzip
    # pages and JSON may hold a CSRF token: gzip with Django's BREACH padding, never brotli
    assert client.get("/api/layers", **BROTLI)["Content-Encoding"] == "gzip"


def test_the_live_stream_is_left_uncompressed(client):
    live = client.get("/api/live", **GZIP)
    try:
        assert live["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in live  # a compressor would hold the events back
    finally:
        live.close()


@pytest.mark.django_db
def test_the_editing_apis_etag_stays_strong_under_compression(client):
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    parcel = Parcel.objects.filter(ward=ward).order_by("pk").first()
    item = client.get(f"/ogc/collections/parcels/items/{parcel.pk}", **GZIP)
    assert item["ETag"] == f'"{parcel.version}"'  # strong, as If-Match needs it


def tile_requests(urls: list[str]) -> tuple[set[str], Counter]:
    """The layer lists asked and how often each tile (z/x/y) was asked."""
    paths = [url.split("/tiles/")[1].split("?")[0].removesuffix(".pbf") for url in urls]
    return {path.split("/")[0] for path in paths}, Counter("/".join(path.split("/")[1:]) for path in paths)


@pytest.mark.django_db
def test_a_panel_asks_one_tile_per_place_for_its_base_and_one_for_its_views_layers(server_url, watched):
    page = watched.page
    tiles: list[str] = []
    page.context.on("request", lambda request: "/tiles/" in request.url and tiles.append(request.url))
    sign_in(page, server_url, "vanhanh", "#view=security")
    tiles.clear()  # those of the signed-out page before
    page.evaluate(f"window.ioc.panels[0].map.jumpTo({{center: [{DONG_TAM[0]}, {DONG_TAM[1]}], zoom: 15}})")
    page.wait_for_function("() => window.ioc.panels[0].map.areTilesLoaded()")
    lists, per_tile = tile_requests(tiles)
    base, view = (page.evaluate(f"window.ioc.panels[0].map.getSource('{name}').tiles[0]")
                  for name in ("base", "view"))
    assert lists == {tile_requests([base])[0].pop(), tile_requests([view])[0].pop()}
    assert "incidents" in tile_requests([view])[0].pop().split(",")
    assert max(per_tile.values()) <= 2, per_tile  # the base layers' tile and the view's, each once
    tiles.clear()
    page.click("[data-view='traffic']")
    page.wait_for_function("() => window.ioc.panels[0].map.areTilesLoaded()")
    switched, _ = tile_requests(tiles)
    assert switched and all("cameras" in names.split(",") for names in switched)  # the traffic view's list


@pytest.mark.django_db
def test_detections_arriving_draw_on_the_live_layer_without_downloading_tiles_again(server_url, watched):
    page = watched.page
    tiles: list[str] = []
    page.context.on("request", lambda request: "/tiles/" in request.url and tiles.append(request.url))
    sign_in(page, server_url, "vanhanh", "#view=traffic")
    page.evaluate(f"window.ioc.panels[0].map.jumpTo({{center: [{DONG_TAM[0]}, {DONG_TAM[1]}], zoom: 15}})")
    page.wait_for_function("() => window.ioc.panels[0].map.areTilesLoaded()")
    page.wait_for_function("() => document.querySelector('#live-status').className === 'on'", timeout=10_000)
    page.wait_for_timeout(500)
    tiles.clear()
    stop = threading.Event()

    def camera() -> None:
        with psycopg.connect(database_url(), autocommit=True) as conn:
            while not stop.wait(0.5):
                conn.execute(A_DETECTION)

    feeder = threading.Thread(target=camera)
    feeder.start()
    try:
        page.wait_for_function("() => window.ioc.live.events.filter(e => e.layer.id === 'detections')"
                               ".length >= 3", timeout=10_000)
        started = time.monotonic()
        page.wait_for_timeout(6_000)  # more than the old 5 s reload
        drawn = page.evaluate("window.ioc.panels[0].map.getSource('live-events').serialize().data.features"
                              ".filter(f => f.properties.layer === 'detections').length")
    finally:
        stop.set()
        feeder.join()
        with psycopg.connect(database_url(), autocommit=True) as conn:
            conn.execute("DELETE FROM layers_detection WHERE track_id = -20204")
    assert time.monotonic() - started >= 6
    assert drawn >= 10  # the live layer holds the camera's detections...
    assert tiles == []  # ...and no tile was asked for again
    assert watched.errors == []
