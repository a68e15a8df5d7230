"""Rasters through MapProxy at /mapproxy: COGs from the demo city, WMS, WMTS, XYZ, cache, seeding, errors."""

from __future__ import annotations

import dataclasses
import io
import ipaddress
import math
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
import rasterio
import uvicorn
from django.conf import settings as django_settings
from django.core.asgi import get_asgi_application
from django.core.management import call_command
from django.test import override_settings
from owslib.wms import WebMapService
from owslib.wmts import WebMapTileService
from PIL import Image
from pyproj import CRS, Transformer
from rasterio.enums import Resampling
from rasterio.features import geometry_mask
from rasterio.windows import from_bounds
from shapely import from_wkb

from layers.models import WaterBody, ZoningPlan
from layers.vocabularies import ZONE_FUNCTION
from spatial.config import Config, ConfigError
from tiles.grid import Tile, tiles_covering
from tiles.management.commands.rasters import Command as RastersCommand
from tiles.raster import orthophoto
from tiles.raster.canvas import RasterGrid
from tiles.raster.catalog import RASTERS, raster_layer
from tiles.raster.cog import describe
from tiles.raster.mapproxy_config import META_SIZE, WMS_SRS
from tiles.raster.paths import RasterPaths
from tiles.raster.rendered import hex_rgb
from tiles.raster.seeding import seed
from tiles.raster.zoning_scan import PAPER

pytestmark = pytest.mark.django_db

TEST_RESOLUTION = 8.0  # map metres per pixel: the real rasters use 2 and 3, too slow for every test run
HALF_WORLD = math.pi * 6378137.0
TILE = 256


def png(response) -> np.ndarray:
    assert response.status_code == 200, response.content[:400]
    assert response["Content-Type"] == "image/png"
    return np.asarray(Image.open(io.BytesIO(response.content)).convert("RGBA"))


def lonlat_bounds(paths: RasterPaths, layer_id: str = "orthophoto") -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = describe(paths.raster(raster_layer(layer_id))).bounds
    return Transformer.from_crs(3857, 4326, always_xy=True).transform_bounds(minx, miny, maxx, maxy)


def centre_tile(paths: RasterPaths, z: int) -> Tile:
    minx, miny, maxx, maxy = lonlat_bounds(paths)
    centre = ((minx + maxx) / 2, (miny + maxy) / 2)
    return next(tiles_covering((*centre, *centre), z))


def mercator_bounds(tile: Tile) -> tuple[float, float, float, float]:
    size = 2 * HALF_WORLD / (1 << tile.z)
    left, top = -HALF_WORLD + tile.x * size, HALF_WORLD - tile.y * size
    return (left, top - size, left + size, top)


def wms_bbox(paths: RasterPaths, crs: str) -> str:
    """The city's bbox in `crs`, in WMS 1.3.0 axis order (latitude first for EPSG:4326 and 4756)."""
    minx, miny, maxx, maxy = describe(paths.raster(raster_layer("orthophoto"))).bounds
    x0, y0, x1, y1 = Transformer.from_crs(3857, crs, always_xy=True).transform_bounds(minx, miny, maxx, maxy)
    north_first = CRS(crs).axis_info[0].direction == "north"
    return ",".join(str(v) for v in ((y0, x0, y1, x1) if north_first else (x0, y0, x1, y1)))


def expected_seeded_tiles(bbox: tuple[float, float, float, float], to_level: int) -> int:
    """MapProxy renders and caches whole META_SIZE × META_SIZE metatiles (clipped to the grid)."""
    total = 0
    for z in range(to_level + 1):
        side = 1 << z
        metatiles = {(t.x // META_SIZE, t.y // META_SIZE) for t in tiles_covering(bbox, z)}
        total += sum(min(META_SIZE, side - mx * META_SIZE) * min(META_SIZE, side - my * META_SIZE)
                     for mx, my in metatiles)
    return total


@pytest.fixture(scope="module")
def mapproxy_paths(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[RasterPaths]:
    """Rasters (at TEST_RESOLUTION) and a MapProxy config with the demo, made by `ioc rasters`."""
    base = tmp_path_factory.mktemp("mapproxy")
    paths = RasterPaths(base / "rasters", base / "mapproxy")
    with override_settings(RASTER_DIR=paths.raster_dir, MAPPROXY_DIR=paths.mapproxy_dir,
                           ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        out = io.StringIO()
        with django_db_blocker.unblock(), override_settings(DEBUG=True):
            call_command(RastersCommand(), resolution=TEST_RESOLUTION, stdout=out)
        assert out.getvalue().count(" generated in ") == len(RASTERS), out.getvalue()
        yield paths


@pytest.fixture
def fresh_paths(mapproxy_paths, settings, tmp_path) -> RasterPaths:
    """Copies of the rasters with an empty MapProxy folder, in use for one test."""
    paths = RasterPaths(tmp_path / "rasters", tmp_path / "mapproxy")
    shutil.copytree(mapproxy_paths.raster_dir, paths.raster_dir)
    settings.RASTER_DIR, settings.MAPPROXY_DIR = paths.raster_dir, paths.mapproxy_dir
    return paths


@pytest.fixture(scope="module")
def live_url(mapproxy_paths) -> Iterator[str]:
    """http://127.0.0.1:PORT of uvicorn serving Django (ASGI) in this process, with the test settings."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(get_asgi_application(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


# --- the COGs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("layer", RASTERS, ids=lambda layer: layer.id)
def test_each_raster_is_a_tiled_cog_with_overviews_in_web_mercator_around_the_city(mapproxy_paths, layer):
    info = describe(mapproxy_paths.raster(layer))
    assert (info.layout, info.tiled, info.block_size, info.epsg) == ("COG", True, (512, 512), 3857)
    assert info.overviews[:2] == (2, 4)
    assert info.has_mask is (layer.id == "orthophoto")
    city = lonlat_bounds(mapproxy_paths, layer.id)
    assert 104.84 < city[0] < 104.85 and 104.97 < city[2] < 104.98
    assert 21.66 < city[1] < 21.67 and 21.76 < city[3] < 21.78


def test_orthophoto_shows_the_river_in_river_colours_and_nothing_outside_the_city(mapproxy_paths):
    river = WaterBody.objects.get(water_type="river").geom
    point = river.point_on_surface.transform(3857, clone=True)
    cover = orthophoto.COVERS[orthophoto.COVER["river"]]
    with rasterio.open(mapproxy_paths.raster(raster_layer("orthophoto"))) as src:
        pixel = next(src.sample([(point.x, point.y)]))
        row, col = src.index(point.x, point.y)
        mask = src.dataset_mask()
    low = np.minimum(cover.light, cover.dark) - 25
    high = np.maximum(cover.light, cover.dark) + 25
    assert np.all((pixel >= low) & (pixel <= high)), pixel
    assert mask[row, col] == 255
    assert mask[0, 0] == 0 and mask[-1, -1] == 0  # the corners lie outside the communes


def test_zoning_scan_paints_a_zone_in_its_plan_colour_printed_on_paper(mapproxy_paths):
    newest = ZoningPlan.objects.order_by("-decision_date").values_list("decision_no", flat=True).first()
    zone = max(ZoningPlan.objects.filter(decision_no=newest),
               key=lambda z: z.geom.transform(3857, clone=True).area)
    inner = from_wkb(bytes(zone.geom.transform(3857, clone=True).wkb)).buffer(-60)
    expected = np.array(hex_rgb(ZONE_FUNCTION[zone.function].color)) * np.array(PAPER) / 255
    with rasterio.open(mapproxy_paths.raster(raster_layer("zoning_plan"))) as src:
        inside = ~geometry_mask([inner], out_shape=src.shape, transform=src.transform)
        colour = np.median(src.read()[:, inside], axis=1)
    assert inside.sum() > 50
    assert np.all(np.abs(colour - expected) <= 16), (zone.zone_code, colour, expected)


def test_orthophoto_rendering_is_deterministic(mapproxy_paths):
    grid = RasterGrid.covering(describe(mapproxy_paths.raster(raster_layer("orthophoto"))).bounds, 40.0)
    first, second = orthophoto.render(grid), orthophoto.render(grid)
    assert np.array_equal(first.rgb, second.rgb) and np.array_equal(first.mask, second.mask)


# --- capabilities -------------------------------------------------------------------------------

def test_wms_capabilities_parse_in_owslib_with_both_layers_titles_crs_and_extent(client, mapproxy_paths):
    response = client.get("/mapproxy/service", {"SERVICE": "WMS", "REQUEST": "GetCapabilities",
                                                "VERSION": "1.3.0"})
    assert response.status_code == 200
    wms = WebMapService("http://testserver/mapproxy/service", version="1.3.0", xml=response.content)
    assert sorted(wms.contents) == ["orthophoto", "zoning_plan"]
    assert wms["orthophoto"].title == "Ảnh trực giao / Orthophoto"
    assert wms["zoning_plan"].title == "Bản đồ quy hoạch (bản quét) / Zoning plan (scan)"
    assert set(WMS_SRS) <= set(wms["orthophoto"].crsOptions)
    assert np.allclose(wms["orthophoto"].boundingBoxWGS84, lonlat_bounds(mapproxy_paths), atol=1e-4)
    getmap = wms.getOperationByName("GetMap")
    assert getmap.methods[0]["url"].startswith("http://testserver/mapproxy/service")
    assert "image/png" in getmap.formatOptions


def wmts_capabilities(client, url: str) -> WebMapTileService:
    response = client.get(url)
    assert response.status_code == 200
    wmts = WebMapTileService("http://testserver" + url, xml=response.content)
    assert sorted(wmts.contents) == ["orthophoto", "zoning_plan"]
    assert "webmercator" in wmts.tilematrixsets
    assert wmts["orthophoto"].title == "Ảnh trực giao / Orthophoto"
    assert "webmercator" in wmts["orthophoto"].tilematrixsetlinks
    return wmts


def test_wmts_rest_capabilities_parse_in_owslib_with_tile_templates_under_mapproxy(client, mapproxy_paths):
    wmts = wmts_capabilities(client, "/mapproxy/wmts/1.0.0/WMTSCapabilities.xml")
    templates = {r["template"] for r in wmts["orthophoto"].resourceURLs if r["resourceType"] == "tile"}
    assert templates == {"http://testserver/mapproxy/wmts/orthophoto/{TileMatrixSet}/{TileMatrix}/"
                         "{TileCol}/{TileRow}.png"}


def test_wmts_kvp_capabilities_parse_in_owslib_with_gettile_under_mapproxy(client, mapproxy_paths):
    wmts = wmts_capabilities(client, "/mapproxy/service?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0")
    assert wmts.getOperationByName("GetTile").methods[0]["url"].startswith("http://testserver/mapproxy/service")


WMS_CAPABILITIES = {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"}
PROXY_HEADERS = {"X-Forwarded-Host": "evil.example", "X-Script-Name": "/x", "X-Forwarded-Proto": "https"}


def trust_proxies(monkeypatch, *networks: str) -> None:
    """IOC_TRUSTED_PROXIES=networks, for one test."""
    trusted = tuple(ipaddress.ip_network(network) for network in networks)
    monkeypatch.setattr(django_settings, "CONFIG", dataclasses.replace(django_settings.CONFIG,
                                                                       trusted_proxies=trusted))


def test_capabilities_ignore_proxy_headers_from_a_client_that_is_not_a_trusted_proxy(client, mapproxy_paths,
                                                                                      monkeypatch):
    trust_proxies(monkeypatch, "10.0.0.0/8")  # the test client is 127.0.0.1
    wmts = "/mapproxy/wmts/1.0.0/WMTSCapabilities.xml"
    for url, query in [("/mapproxy/service", WMS_CAPABILITIES), (wmts, {})]:
        text = client.get(url, query, headers=PROXY_HEADERS).content.decode()
        assert "http://testserver/mapproxy/" in text
        assert "evil.example" not in text and "testserver/x/" not in text and "https://testserver" not in text


def test_capabilities_follow_proxy_headers_from_a_configured_proxy(client, mapproxy_paths, monkeypatch):
    trust_proxies(monkeypatch, "10.0.0.0/8", "127.0.0.1")
    text = client.get("/mapproxy/service", WMS_CAPABILITIES, headers=PROXY_HEADERS).content.decode()
    assert "https://evil.example/x/service" in text and "testserver" not in text
    ipv4_mapped = client.get("/mapproxy/service", WMS_CAPABILITIES, headers=PROXY_HEADERS,
                             REMOTE_ADDR="::ffff:127.0.0.1").content.decode()
    assert "https://evil.example/x/service" in ipv4_mapped


def test_trusted_proxies_are_read_from_ioc_trusted_proxies_and_checked_at_start(monkeypatch):
    monkeypatch.setenv("IOC_SECRET_KEY", "test")
    monkeypatch.delenv("IOC_TRUSTED_PROXIES", raising=False)
    assert Config.from_env().trusted_proxies == ()
    monkeypatch.setenv("IOC_TRUSTED_PROXIES", " 10.0.0.5, 172.16.0.0/12,::1 ")
    expected = ("10.0.0.5/32", "172.16.0.0/12", "::1/128")
    assert Config.from_env().trusted_proxies == tuple(ipaddress.ip_network(network) for network in expected)
    monkeypatch.setenv("IOC_TRUSTED_PROXIES", "10.0.0.5,proxy.local")
    with pytest.raises(ConfigError, match="IOC_TRUSTED_PROXIES: 'proxy.local'"):
        Config.from_env()


# --- maps and tiles -----------------------------------------------------------------------------

@pytest.mark.parametrize("crs", WMS_SRS)
def test_wms_getmap_in_each_advertised_crs_returns_a_textured_png_of_the_asked_size(client, mapproxy_paths,
                                                                                  crs):
    image = png(client.get("/mapproxy/service", {
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "orthophoto", "STYLES": "",
        "CRS": crs, "BBOX": wms_bbox(mapproxy_paths, crs), "WIDTH": 320, "HEIGHT": 240,
        "FORMAT": "image/png", "TRANSPARENT": "TRUE"}))
    assert image.shape == (240, 320, 4)
    opaque = image[..., 3] == 255
    assert 0.5 < opaque.mean() < 1.0  # the city, with transparent corners
    assert image[opaque][:, :3].std(axis=0).min() > 10  # texture, not one flat colour


def test_xyz_and_both_wmts_encodings_serve_the_same_tile_and_the_cache_keeps_it(client, mapproxy_paths):
    tile = centre_tile(mapproxy_paths, 14)
    cached = mapproxy_paths.cache_dir / "orthophoto" / str(tile.z) / str(tile.x) / f"{tile.y}.png"
    xyz = client.get(f"/mapproxy/tiles/orthophoto/webmercator/{tile}.png")
    rest = client.get(f"/mapproxy/wmts/orthophoto/webmercator/{tile}.png")
    kvp = client.get("/mapproxy/service", {
        "SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "LAYER": "orthophoto",
        "STYLE": "default", "FORMAT": "image/png", "TILEMATRIXSET": "webmercator", "TILEMATRIX": tile.z,
        "TILEROW": tile.y, "TILECOL": tile.x})
    assert png(xyz).shape == (TILE, TILE, 4)
    assert xyz.content == rest.content == kvp.content
    assert cached.read_bytes() == xyz.content


def test_an_xyz_tile_holds_the_cog_pixels_of_exactly_that_tile(client, mapproxy_paths):
    tile = centre_tile(mapproxy_paths, 15)
    served = png(client.get(f"/mapproxy/tiles/orthophoto/webmercator/{tile}.png"))[..., :3].astype(float)
    with rasterio.open(mapproxy_paths.raster(raster_layer("orthophoto"))) as src:
        window = from_bounds(*mercator_bounds(tile), transform=src.transform)
        direct = src.read(window=window, out_shape=(3, TILE, TILE),
                          resampling=Resampling.bilinear).transpose(1, 2, 0).astype(float)
    assert np.abs(served - direct).mean() < 6
    flipped = tile.y + 1 if tile.y % 2 == 0 else tile.y - 1  # a neighbour differs: the y axis is right
    other = png(client.get(f"/mapproxy/tiles/orthophoto/webmercator/{tile.z}/{tile.x}/{flipped}.png"))
    assert np.abs(other[..., :3].astype(float) - direct).mean() > 10


def test_seeding_caches_every_tile_of_the_metatiles_over_each_raster_once(fresh_paths):
    out = io.StringIO()
    call_command(RastersCommand(), seed=True, seed_to=11, concurrency=2, stdout=out)
    expected = [expected_seeded_tiles(lonlat_bounds(fresh_paths, layer.id), 11) for layer in RASTERS]
    for layer, count in zip(RASTERS, expected, strict=True):
        assert sum(1 for _ in fresh_paths.layer_cache(layer).rglob("*.png")) == count
        assert f"{layer.id:<12} {count:>6} tiles cached" in out.getvalue()
    assert expected[0] == 1 + 4 + 10 * 16
    written = {path: path.stat().st_mtime_ns for path in fresh_paths.cache_dir.rglob("*.png")}
    again = seed(fresh_paths, to_level=11, concurrency=1)
    assert [result.tiles for result in again] == expected
    assert {path: path.stat().st_mtime_ns for path in written} == written  # nothing redrawn


# --- the command ---------------------------------------------------------------------------------

def test_rasters_command_keeps_existing_files_and_force_regenerates_and_empties_the_cache(fresh_paths):
    cog = fresh_paths.raster(raster_layer("orthophoto"))
    before = cog.stat().st_mtime_ns
    out = io.StringIO()
    call_command(RastersCommand(), stdout=out)
    assert out.getvalue().count("already present") == len(RASTERS)
    assert cog.stat().st_mtime_ns == before
    stale = fresh_paths.layer_cache(raster_layer("orthophoto")) / "14" / "1" / "2.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    out = io.StringIO()
    call_command(RastersCommand(), force=True, resolution=64.0, stdout=out)
    assert out.getvalue().count(" generated in ") == len(RASTERS)
    assert cog.stat().st_mtime_ns != before and not stale.exists()
    assert describe(cog).width < 300


# --- errors and access ----------------------------------------------------------------------------

GETMAP = ("/mapproxy/service?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=256"
          "&HEIGHT=256&CRS=EPSG:3857")
CITY_3857 = "11671626,2471174,11685838,2483916"


@pytest.mark.parametrize(("url", "status"), [
    (f"{GETMAP}&LAYERS=nope&BBOX={CITY_3857}", 404),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX=a,b,c,d", 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX=1,2,3", 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX=11685838,2483916,11671626,2471174", 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX=nan,nan,inf,inf", 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("WIDTH=256", "WIDTH=0"), 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("EPSG:3857", "EPSG:99999"), 400),
    ("/mapproxy/service?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=nope&STYLE=default"
     "&FORMAT=image/png&TILEMATRIXSET=webmercator&TILEMATRIX=1&TILEROW=0&TILECOL=0", 400),
    ("/mapproxy/service?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=orthophoto&STYLE=default"
     "&FORMAT=image/png&TILEMATRIXSET=webmercator&TILEMATRIX=x&TILEROW=0&TILECOL=0", 400),
    ("/mapproxy/service?SERVICE=NOPE&REQUEST=GetCapabilities", 400),
    ("/mapproxy/tiles/nope/webmercator/1/0/0.png", 404),
    ("/mapproxy/tiles/orthophoto/webmercator/1/5/5.png", 404),
    ("/mapproxy/wmts/orthophoto/webmercator/a/b/c.png", 400),
    ("/mapproxy/wmts/orthophoto/webmercator/²/0/0.png", 400),
    ("/mapproxy/tiles/orthophoto/webmercator/1/0/²0.png", 400),
    ("/mapproxy/tiles/orthophoto/webmercator/١/٠/٠.png", 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("WIDTH=256", "WIDTH=٢٥٦"), 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("11671626", "١١٦٧١٦٢٦"), 400),
    ("/mapproxy/service?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=orthophoto&STYLE=default"
     "&FORMAT=image/png&TILEMATRIXSET=webmercator&TILEMATRIX=١&TILEROW=0&TILECOL=0", 400),
    ("/mapproxy/wmts/nope/webmercator/1/0/0.png", 400),
    ("/mapproxy/wmts/zz", 404),
    ("/mapproxy/wmts/1.0.0/zz", 404),
    ("/mapproxy/nothing-here", 404),
    *((f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("CRS=EPSG:3857", f"CRS={crs}"), 400)
      for crs in ("EPSG:abc", "EPSG:", "abc", "EPSG:%C2%B2", "EPSG:%00")),
    *((f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("VERSION=1.3.0", f"VERSION={version}"), 400)
      for version in ("a", "1.a", "1..3", "", "%C2%B2", "1.3.0%00")),
    *((f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}&BGCOLOR={colour}", 400)
      for colour in ("0xZZ", "zz", "", "0x1234567", "0x%D9%A1")),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("WIDTH=256", "WIDTH=abc&WIDTH=256"), 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX=a,b,c,d&bbox={CITY_3857}", 400),
    (f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}".replace("SERVICE=WMS&VERSION=1.3.0", "WMTVER=1.0.0"),
     400),  # a WMS 1.0 exception report (WMTException)
])
def test_bad_requests_get_a_client_error_not_a_server_error(client, mapproxy_paths, url, status):
    assert client.get(url).status_code == status


def test_a_good_background_colour_and_version_still_draw_a_map(client, mapproxy_paths):
    url = f"{GETMAP}&LAYERS=orthophoto&BBOX={CITY_3857}&BGCOLOR=0x00FF7f&TRANSPARENT=FALSE"
    assert png(client.get(url)).shape == (256, 256, 4)
    wms_111 = url.replace("VERSION=1.3.0", "VERSION=1.1.1").replace("CRS=", "SRS=")
    assert png(client.get(wms_111)).shape == (256, 256, 4)


def test_only_get_and_head_are_allowed(client, mapproxy_paths):
    assert client.post("/mapproxy/service", {"SERVICE": "WMS"}).status_code == 405
    get, head = (call("/mapproxy/service", WMS_CAPABILITIES) for call in (client.get, client.head))
    assert head.status_code == get.status_code == 200
    assert head["Content-Length"] == str(len(get.content)) and head["Content-Type"] == get["Content-Type"]


def test_the_demo_is_served_only_when_debug_is_on(client, mapproxy_paths, settings):
    settings.DEBUG = False
    assert client.get("/mapproxy/demo/").status_code == 404
    settings.DEBUG = True
    response = client.get("/mapproxy/demo/")
    assert response.status_code == 200 and b"orthophoto" in response.content


def test_without_generated_rasters_the_service_says_to_run_ioc_rasters(client, settings, tmp_path):
    settings.RASTER_DIR, settings.MAPPROXY_DIR = tmp_path / "r", tmp_path / "m"
    response = client.get("/mapproxy/service", {"SERVICE": "WMS", "REQUEST": "GetCapabilities"})
    assert response.status_code == 503
    assert "ioc rasters" in response.json()["description"]


# --- real clients over HTTP (what QGIS does) --------------------------------------------------------

def test_owslib_over_http_reads_the_capabilities_then_gets_a_map_and_a_tile(live_url, mapproxy_paths):
    wms = WebMapService(f"{live_url}/mapproxy/service", version="1.3.0")
    minx, miny, maxx, maxy = describe(mapproxy_paths.raster(raster_layer("zoning_plan"))).bounds
    answer = wms.getmap(layers=["zoning_plan"], styles=[""], srs="EPSG:3857", bbox=(minx, miny, maxx, maxy),
                        size=(200, 180), format="image/png")
    image = np.asarray(Image.open(io.BytesIO(answer.read())).convert("RGB"))
    assert image.shape == (180, 200, 3) and image.std() > 10
    wmts = WebMapTileService(f"{live_url}/mapproxy/wmts/1.0.0/WMTSCapabilities.xml")
    tile = centre_tile(mapproxy_paths, 13)
    answer = wmts.gettile(layer="orthophoto", tilematrixset="webmercator", tilematrix=str(tile.z), row=tile.y,
                          column=tile.x, format="image/png")
    assert Image.open(io.BytesIO(answer.read())).size == (TILE, TILE)


def test_gdal_opens_the_wmts_in_web_mercator_and_reads_the_city(live_url, mapproxy_paths, tmp_path):
    url = f"WMTS:{live_url}/mapproxy/wmts/1.0.0/WMTSCapabilities.xml,layer=orthophoto"
    gdal_options = {"GDAL_DEFAULT_WMS_CACHE_PATH": str(tmp_path), "GDAL_HTTP_TIMEOUT": "30"}
    with rasterio.Env(**gdal_options), rasterio.open(url) as src:
        assert src.crs.to_epsg() == 3857
        city = describe(mapproxy_paths.raster(raster_layer("orthophoto"))).bounds
        window = from_bounds(*city, transform=src.transform)
        image = src.read(window=window, out_shape=(src.count, 128, 128))
    assert image[:3].std() > 10
