"""Real QGIS against `ioc serve`: OAPIF layers open on the data's extent and read 1,000-feature pages,
a vector-tile layer made from the TileJSON alone draws the city, the generated project opens styled.

One QGIS process for the module (tests/qgis/qgis_session.py, run by the system Python that has
Debian's python3-qgis, offscreen); each test states what it saw. Never QGIS's WFS provider.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
from django.db.models import Max, Min

from layers.models import Incident, Parcel
from layers.registry import registry
from spatial.access import Viewer
from spatial.demo_accounts import DEMO_PASSWORD

QGIS_PYTHON = "/usr/bin/python3"
SESSION = Path(__file__).with_name("qgis_session.py")
BOX = (104.89, 21.70, 104.91, 21.72)  # the city centre: about 9,000 parcels
OPERATOR = "vanhanh"


def _has_qgis() -> bool:
    found = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, check=False)
    return found.returncode == 0


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not _has_qgis(), reason="no QGIS: apt-get install python3-qgis qgis-providers"),
]


@pytest.fixture(scope="module")
def qgis(server_url, tmp_path_factory) -> dict:
    """What one QGIS session saw (see qgis_session.py for each check)."""
    work = tmp_path_factory.mktemp("qgis")
    checks = {
        "oapif": [{"layer": "parcels", "box": list(BOX)}, {"layer": "incidents"}],
        "vector_tiles": {"tilejson": f"{server_url}/tiles/parcels.json"},
        "project": {"user": OPERATOR, "password": DEMO_PASSWORD, "authcfg": "toancnh"},
    }
    run = subprocess.run([QGIS_PYTHON, str(SESSION), server_url, str(work)], input=json.dumps(checks),
                         capture_output=True, text=True, timeout=600, check=False,
                         env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(work), "PATH": "/usr/bin:/bin"})
    answers = work / "answers.json"
    assert answers.exists(), run.stderr[-3000:]
    return json.loads(answers.read_text())


def test_oapif_layers_open_on_the_datas_extent_with_their_feature_count(qgis):
    parcels, incidents = qgis["oapif"]
    assert parcels["valid"] and incidents["valid"]
    assert parcels["extent"] == pytest.approx(list(Parcel.objects.aggregate(e=Extent("geom"))["e"]), abs=1e-6)
    assert parcels["feature_count"] == Parcel.objects.count()  # numberMatched: counting is cheap
    first, last = Incident.objects.aggregate(first=Min("reported_at"), last=Max("reported_at")).values()
    local = [moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%dT%H:%M:%S")
             for moment in (first, last)]
    assert incidents["temporal"] == [local]  # QGIS keeps the local clock time it was given


def test_oapif_reads_a_box_in_pages_of_1000_features(qgis):
    parcels = qgis["oapif"][0]
    expected = Parcel.objects.filter(geom__intersects=Polygon.from_bbox(BOX)).count()
    assert parcels["box_features"] == expected > 5000
    pages = [url for url in parcels["box_item_requests"] if "bbox=" in url]
    assert all("limit=1000" in url for url in pages)
    assert len(pages) == math.ceil(expected / 1000)  # the last page is short, so no empty one follows


def test_a_vector_tile_layer_from_the_tilejson_draws_the_city_and_empty_tiles_below(qgis):
    tiles = qgis["vector_tiles"]
    assert tiles["valid"] and tiles["errors"] == []
    assert tiles["drawn"] > 10_000  # of 65,536 sampled pixels: parcels cover the centre
    assert tiles["drawn_below"] == 0 and tiles["errors_below"] == []  # 204s: nothing, and no error


def test_the_generated_project_opens_every_layer_valid_and_styled(qgis):
    project = qgis["project"]
    assert project["read"] and project["stored_authcfg"] == "toancnh" and project["crs"] == "EPSG:3857"
    viewer = Viewer.of(User.objects.get(username=OPERATOR))
    readable = [layer for layer in registry if viewer.can_read(layer)]
    assert sorted(project["layers"]) == sorted(layer.id for layer in readable)
    for layer in readable:
        seen = project["layers"][layer.id]
        assert seen["valid"], layer.id
        if not layer.queryset().exists():  # QGIS learns an empty layer's geometry from no feature
            continue
        vocabulary = layer.style.vocabulary if layer.style.by else None
        expected = ("categorizedSymbol", len(vocabulary.terms)) if vocabulary else ("singleSymbol", 0)
        assert (seen["renderer"], seen["categories"]) == expected, layer.id
        assert seen["labels"] == ("name" in layer.style.always), layer.id
        assert seen["scale_limited"] == (layer.style.min_zoom > 0), layer.id
