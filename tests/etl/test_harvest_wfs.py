"""Harvests from a WFS 2.0 server (a local HTTP server standing in for GeoServer, MapServer or QGIS Server):
the feature type is read page by page with count and startIndex, as GeoJSON where the server offers it, in
GML 3.2 (latitude first, as EPSG:4326 urns say) where it does not; a second run is "unchanged"; a location
without a feature type fails, saying what to add."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from etl import harvest as harvesting
from etl.models import Harvest
from layers.models import School

pytestmark = pytest.mark.django_db
MAPPING = "columns: {ma: code, ten: name, cap: school_level}\nvalues: {school_level: {TH: tieu_hoc}}\n"
SCHOOLS = [("WFS-TH-1", "Trường Tiểu học Ánh Dương", 104.9035, 21.6890),
           ("WFS-TH-2", "Trường Tiểu học Hồng Hà", 104.9040, 21.6895),
           ("WFS-TH-3", "Trường Tiểu học Nam Cường", 104.8690, 21.7078)]
GML_MEMBER = """<wfs:member><so:truong gml:id="truong.{i}"><so:ma>{code}</so:ma><so:ten>{name}</so:ten>
<so:cap>TH</so:cap><so:vitri><gml:Point gml:id="p{i}" srsName="urn:ogc:def:crs:EPSG::4326">
<gml:pos>{lat} {lon}</gml:pos></gml:Point></so:vitri></so:truong></wfs:member>"""
GML = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"
 xmlns:so="http://example.org/so" numberMatched="{matched}" numberReturned="{returned}">{members}
</wfs:FeatureCollection>"""
REFUSED = """<?xml version="1.0"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">
<ows:Exception exceptionCode="InvalidParameterValue" locator="outputFormat"/></ows:ExceptionReport>"""


class Wfs(BaseHTTPRequestHandler):
    """GetFeature of one feature type, `so:truong`; GeoJSON only if the server was started with it."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        asked = {key.lower(): values[0] for key, values in parse_qs(urlparse(self.path).query).items()}
        self.server.asked.append(asked)
        if asked.get("request") != "GetFeature" or asked.get("typenames") != "so:truong":
            return self._send(400, REFUSED, "application/xml")
        start, count = int(asked.get("startindex", 0)), int(asked.get("count", 1000))
        rows = SCHOOLS[start:start + count]
        if asked.get("outputformat") == "application/json":
            if not self.server.geojson:
                return self._send(400, REFUSED, "application/xml")
            features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"ma": code, "ten": name, "cap": "TH"}}
                        for code, name, lon, lat in rows]
            return self._send(200, json.dumps({"type": "FeatureCollection", "features": features}),
                              "application/json")
        members = "".join(GML_MEMBER.format(i=start + i, code=code, name=name, lon=lon, lat=lat)
                          for i, (code, name, lon, lat) in enumerate(rows))
        self._send(200, GML.format(matched=len(SCHOOLS), returned=len(rows), members=members),
                   "application/gml+xml; version=3.2")

    def _send(self, status: int, body: str, kind: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def serve(geojson: bool) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Wfs)
    server.geojson, server.asked = geojson, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture
def geojson_wfs() -> Iterator[ThreadingHTTPServer]:
    yield from serve(geojson=True)


@pytest.fixture
def gml_wfs() -> Iterator[ThreadingHTTPServer]:
    yield from serve(geojson=False)


@pytest.fixture(autouse=True)
def pages_of_two(monkeypatch):
    monkeypatch.setattr(harvesting, "PAGE", 2)


def a_harvest(server: ThreadingHTTPServer, location: str = "/wfs?typeNames=so:truong") -> Harvest:
    return Harvest.objects.create(code="truong-wfs", layer="schools", kind="wfs", mapping=MAPPING,
                                  location=f"http://127.0.0.1:{server.server_port}{location}",
                                  every_minutes=60)


def harvested() -> dict[str, tuple[str, float, float]]:
    return {school.code: (school.name, round(school.geom.x, 6), round(school.geom.y, 6))
            for school in School.objects.filter(code__startswith="WFS-")}


EXPECTED = {code: (name, lon, lat) for code, name, lon, lat in SCHOOLS}


def test_a_wfs_giving_geojson_is_read_in_pages_and_a_second_run_is_unchanged(geojson_wfs):
    job = a_harvest(geojson_wfs)
    first = harvesting.run(job)
    assert first.outcome == "loaded", first.message
    assert harvested() == EXPECTED
    pages = [(asked["startindex"], asked["count"]) for asked in geojson_wfs.asked]
    assert pages == [("0", "2"), ("2", "2")]
    assert all(asked["service"] == "WFS" and asked["version"] == "2.0.0" for asked in geojson_wfs.asked)
    assert harvesting.run(job).outcome == "unchanged"


def test_a_wfs_giving_only_gml_is_read_with_latitude_first_axes_turned(gml_wfs):
    outcome = harvesting.run(a_harvest(gml_wfs))
    assert outcome.outcome == "loaded", outcome.message
    assert harvested() == EXPECTED  # 21.689 104.9035 in the GML: the school at longitude 104.9035
    formats = [asked.get("outputformat", "GML") for asked in gml_wfs.asked]
    assert formats == ["application/json", "GML", "GML"]  # asked once for GeoJSON, then GML page by page


def test_a_location_without_a_feature_type_fails_saying_what_to_add(geojson_wfs):
    outcome = harvesting.run(a_harvest(geojson_wfs, "/wfs?service=WFS"))
    assert outcome.outcome == "failed"
    assert "typeNames" in outcome.message and not geojson_wfs.asked
    assert Harvest.objects.get(code="truong-wfs").last_outcome == "failed"
