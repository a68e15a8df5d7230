"""What real QGIS does with the platform, run by Debian's system Python with python3-qgis, offscreen.

Usage: /usr/bin/python3 qgis_session.py SERVER WORK_DIR < checks.json (answers in WORK_DIR/answers.json;
QGIS writes its own warnings to the standard output)

`checks.json` says what to open (an OAPIF layer and a box of it, a TileJSON, a project and its
account); the answers are what QGIS saw: validity, extents, feature counts, the HTTP requests it
made, pixels drawn, renderers. The pytest module (test_qgis_desktop.py) states what they must be.
Never QGIS's WFS provider: OAPIF, vector tiles and projects only.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import urllib.request
from base64 import b64encode

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (after the platform is chosen)
    QgsApplication,
    QgsAuthMethodConfig,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsNetworkAccessManager,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

WORLD_RESOLUTION = 156_543.03392804097  # metres per pixel of Web Mercator zoom 0 (256 px tiles)
SIDE = 512
requests: list[str] = []


def _record(reply: object) -> None:
    """Every answered HTTP request, from any thread (QGIS tells its main network manager)."""
    requests.append(reply.request().url().toString())


def oapif(server: str, check: dict) -> dict:
    """An OAPIF layer: validity, extent, feature count, and a box of it read page by page."""
    uri = (f"pagingEnabled='true' preferCoordinatesForWfsT11='false' restrictToRequestBBOX='1' "
           f"typename='{check['layer']}' url='{server}/ogc'")
    layer = QgsVectorLayer(uri, check["layer"], "OAPIF")
    extent = layer.extent()
    metadata = layer.metadata().extent()
    temporal = [[str(t.begin().toString("yyyy-MM-ddTHH:mm:ss")), str(t.end().toString("yyyy-MM-ddTHH:mm:ss"))]
                for t in metadata.temporalExtents()]
    answer = {"valid": layer.isValid(), "extent": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(),
                                                  extent.yMaximum()],
              "feature_count": layer.featureCount(), "temporal": temporal}
    if "box" in check:
        del requests[:]
        started = time.perf_counter()
        request = QgsFeatureRequest().setFilterRect(QgsRectangle(*check["box"]))
        answer["box_features"] = sum(1 for _ in layer.getFeatures(request))
        answer["box_seconds"] = round(time.perf_counter() - started, 2)
        QCoreApplication.processEvents()  # the downloader thread's requests are told to this one queued
        answer["box_item_requests"] = [url for url in requests if "/items" in url]
    if check.get("full"):
        del requests[:]
        started = time.perf_counter()
        answer["all_features"] = sum(1 for _ in layer.getFeatures())
        answer["all_seconds"] = round(time.perf_counter() - started, 2)
        QCoreApplication.processEvents()
        answer["all_item_requests"] = len([url for url in requests if "/items" in url])
    return answer


def _render(layer: object, centre: tuple[float, float], zoom: float) -> tuple[int, list[str]]:
    """Pixels drawn (not the white background) rendering `layer` at a lon/lat and zoom, and errors."""
    x = 6_378_137.0 * math.radians(centre[0])
    y = 6_378_137.0 * math.log(math.tan(math.pi / 4 + math.radians(centre[1]) / 2))
    half = SIDE / 2 * WORLD_RESOLUTION / 2**zoom
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(SIDE, SIDE))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setExtent(QgsRectangle(x - half, y - half, x + half, y + half))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    white = QColor(255, 255, 255).rgb()
    drawn = sum(1 for i in range(0, SIDE, 2) for j in range(0, SIDE, 2) if image.pixel(i, j) != white)
    return drawn, [error.message for error in job.errors()]


def vector_tiles(check: dict) -> dict:
    """A vector-tile layer made from the TileJSON alone: its zooms, drawn at its centre and below."""
    with urllib.request.urlopen(check["tilejson"], timeout=30) as answer:
        tilejson = json.load(answer)
    uri = f"type=xyz&url={tilejson['tiles'][0]}&zmin={tilejson['minzoom']}&zmax={tilejson['maxzoom']}"
    layer = QgsVectorTileLayer(uri, "tiles")
    lon, lat, zoom = tilejson["center"]
    del requests[:]
    drawn, errors = _render(layer, (lon, lat), zoom + 0.5)
    below = QgsVectorTileLayer(f"type=xyz&url={tilejson['tiles'][0]}&zmin=0&zmax={tilejson['maxzoom']}", "t")
    drawn_below, errors_below = _render(below, (lon, lat), tilejson["minzoom"] - 2 + 0.5)
    return {"valid": layer.isValid(), "drawn": drawn, "errors": errors, "tile_requests": len(requests),
            "drawn_below": drawn_below, "errors_below": errors_below}


def project(server: str, work: str, check: dict) -> dict:
    """The generated project, downloaded as `check['user']`, opened with that account's Basic
    authentication configuration: each layer's validity, renderer and categories."""
    manager = QgsApplication.authManager()
    manager.setMasterPassword("qgis-tests", True)
    config = QgsAuthMethodConfig("Basic")
    config.setId(check["authcfg"])
    config.setName("Toàn Cảnh")
    config.setConfig("username", check["user"])
    config.setConfig("password", check["password"])
    stored = manager.storeAuthenticationConfig(config)  # PyQGIS: (done, the config as stored)
    stored_id = stored[1].id() if isinstance(stored, tuple) else config.id()
    request = urllib.request.Request(f"{server}/ogc/qgis/toancanh.qgz")
    token = b64encode(f"{check['user']}:{check['password']}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    path = os.path.join(work, "toancanh.qgz")
    with urllib.request.urlopen(request, timeout=60) as answer, open(path, "wb") as out:
        out.write(answer.read())
    started = time.perf_counter()
    project = QgsProject.instance()
    read = project.read(path)
    layers = {}
    for layer in project.mapLayers().values():
        renderer = layer.renderer()
        categorised = isinstance(renderer, QgsCategorizedSymbolRenderer)
        layers[layer.dataProvider().uri().param("typename") or layer.id()] = {
            "id": layer.id(), "name": layer.name(),
            "valid": layer.isValid(), "renderer": renderer.type() if renderer else None,
            "categories": len(renderer.categories()) if categorised else 0,
            "labels": layer.labelsEnabled(), "min_scale": layer.minimumScale(),
            "scale_limited": layer.hasScaleBasedVisibility(),
        }
    return {"stored_authcfg": stored_id, "read": read, "seconds": round(time.perf_counter() - started, 2),
            "layers": layers, "crs": project.crs().authid(),
            "abstract": project.metadata().abstract()}


def main() -> None:
    server, work = sys.argv[1], sys.argv[2]
    checks = json.load(sys.stdin)
    app = QgsApplication([], False, os.path.join(work, "profile"))
    app.initQgis()
    QgsNetworkAccessManager.instance().finished.connect(_record)
    answers = {}
    if "oapif" in checks:
        answers["oapif"] = [oapif(server, check) for check in checks["oapif"]]
    if "vector_tiles" in checks:
        answers["vector_tiles"] = vector_tiles(checks["vector_tiles"])
    if "project" in checks:
        answers["project"] = project(server, work, checks["project"])
    with open(os.path.join(work, "answers.json"), "w") as out:
        json.dump(answers, out)
    sys.stdout.flush()
    os._exit(0)  # QGIS's exit tears down threads slowly and sometimes crashes offscreen


if __name__ == "__main__":
    main()
