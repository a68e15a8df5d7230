"""Adding a layer is a model and one declaration, nothing else (docs/adding-a-layer.md, followed
step by step): a throwaway app with exactly those two files, installed with IOC_LAYER_APPS, is
found by `ioc check`, migrations, the importer, the OGC API, tiles and TileJSON, /api/layers (labels
and legend), the KPI panel and the live feed of a real server; removing one of its labels makes
`ioc check` fail naming the layer and the field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import mapbox_vector_tile
import psycopg
import pytest
import requests

from democity.models import DemoCity
from spatial.config import DatabaseConfig
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db
APP = "wells_plugin"
DONG_TAM = (104.9035, 21.689)  # inside the ward Đồng Tâm

MODELS = '''\
from django.contrib.gis.db import models

from layers.vocabularies import Term, Vocabulary

WELL_KIND = Vocabulary("well_kind", Term("drilled", "Giếng khoan", "Drilled well", "#1F78B4"),
                       Term("dug", "Giếng đào", "Dug well", "#33A02C"))


class Well(models.Model):
    code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=WELL_KIND.choices)
    depth_m = models.FloatField()
    found_at = models.DateTimeField()
    geom = models.PointField(srid=4326)
'''

CATALOG = '''\
from layers.registry import Kpi, Layer, Style, registry
from wells_plugin.models import WELL_KIND

registry.register(Layer(
    id="wells",
    title_vi="Giếng nước",
    title_en="Water wells",
    model="wells_plugin.Well",
    subsystem="environment",
    geometry_type="Point",
    time_field="found_at",
    public_fields=("code", "kind", "depth_m", "found_at"),
    labels={{{labels}}},
    style=Style("circle", "#1F78B4", by="kind", vocabulary=WELL_KIND),
    kpis=(Kpi("wells_by_kind", "Giếng theo loại", "Wells by kind", by="kind"),),
))
'''
LABELS = {"kind": ("Loại giếng", "Well kind"), "depth_m": ("Độ sâu (m)", "Depth (m)"),
          "found_at": ("Thời điểm phát hiện", "Found at")}


def write_app(root: Path, labels: dict) -> None:
    """The whole of a new layer: its model and its declaration."""
    app = root / APP
    app.mkdir(exist_ok=True)
    (app / "__init__.py").touch()
    (app / "models.py").write_text(MODELS, encoding="utf-8")
    declared = ", ".join(f"{name!r}: {pair!r}" for name, pair in labels.items())
    (app / "catalog.py").write_text(CATALOG.replace("{{{labels}}}", "{" + declared + "}"), encoding="utf-8")


@pytest.fixture
def plugin(tmp_path) -> Iterator[dict]:
    """The environment of a platform with the throwaway app installed; its table, migration
    records and content types are removed afterwards."""
    write_app(tmp_path, LABELS)
    url = DatabaseConfig.of_django().as_url()
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    env = {"IOC_LAYER_APPS": APP, "PYTHONPATH": path}
    try:
        yield {"root": tmp_path, "env": env, "url": url}
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {APP}_well CASCADE")
            conn.execute(f"DROP FUNCTION IF EXISTS ioc_events__{APP}_well() CASCADE")
            conn.execute("DELETE FROM django_migrations WHERE app = %s", [APP])
            conn.execute("DELETE FROM auth_permission WHERE content_type_id IN "
                         "(SELECT id FROM django_content_type WHERE app_label = %s)", [APP])
            conn.execute("DELETE FROM django_content_type WHERE app_label = %s", [APP])


def ioc(plugin: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": plugin["url"], **plugin["env"]}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run([sys.executable, "-m", "ioc.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def wells_file(folder: Path, found_at: str) -> Path:
    lon, lat = DONG_TAM
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon + i * 0.001, lat]},
                 "properties": {"code": f"GW-{i}", "kind": kind, "depth_m": 20.0 + i, "found_at": found_at}}
                for i, kind in enumerate(["drilled", "drilled", "dug"])]
    path = folder / "wells.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def first_wells_event(server: str, headers: dict, insert) -> dict:
    """Open /api/live, run `insert`, and return the first event about wells."""
    with requests.get(f"{server}/api/live", headers={**headers, "Accept": "text/event-stream"},
                      stream=True, timeout=20) as response:
        assert response.status_code == 200
        lines = response.iter_lines(decode_unicode=True)
        next(line for line in lines if line.startswith(":"))  # connected
        insert()
        deadline = time.monotonic() + 15
        for line in lines:
            if line.startswith("data:") and '"wells"' in line:
                return json.loads(line[5:])
            assert time.monotonic() < deadline, "no wells event within 15 s"
    raise AssertionError("the stream ended")


def test_a_model_and_one_declaration_make_a_layer_everywhere(plugin, start_server, as_user, tmp_path):
    checked = ioc(plugin, "check")
    assert checked.returncode == 0, checked.stderr
    made = ioc(plugin, "makemigrations", APP)
    assert made.returncode == 0 and "Create model Well" in made.stdout, made.stderr
    migrated = ioc(plugin, "migrate", APP)
    assert migrated.returncode == 0, migrated.stderr

    last_week = DemoCity.current().window(7)  # the demo's last week, whatever the date
    found_at = (last_week.end - timedelta(days=1)).isoformat()
    imported = ioc(plugin, "import", str(wells_file(tmp_path, found_at)), "--layer", "wells")
    assert imported.returncode == 0, imported.stdout + imported.stderr

    server = start_server(**plugin["env"])
    operator = as_user("vanhanh")

    def get(path: str, **params) -> requests.Response:
        response = requests.get(server + path, params=params, headers=operator, timeout=30)
        assert response.status_code == 200, (path, response.text[:300])
        return response

    collections = get("/ogc/collections", f="json").json()["collections"]
    assert "wells" in [collection["id"] for collection in collections]
    items = get("/ogc/collections/wells/items", f="json").json()
    assert sorted(feature["properties"]["code"] for feature in items["features"]) == ["GW-0", "GW-1", "GW-2"]

    tilejson = get("/tiles/wells.json").json()
    assert [layer["id"] for layer in tilejson["vector_layers"]] == ["wells"]
    tile = next(tiles_covering((*DONG_TAM, *DONG_TAM), 14))
    decoded = mapbox_vector_tile.decode(get(f"/tiles/wells/{tile}.pbf").content)
    assert len(decoded["wells"]["features"]) == 3

    layer = next(layer for layer in get("/api/layers").json()["layers"] if layer["id"] == "wells")
    labels = {field["name"]: (field["vi"], field["en"]) for field in layer["fields"]}
    assert labels["depth_m"] == ("Độ sâu (m)", "Depth (m)") and labels["code"] == ("Mã", "Code")
    assert [term["code"] for term in layer["style"]["legend"]] == ["drilled", "dug"]
    views = {view["code"]: view["layers"] for view in get("/api/layers").json()["views"]}
    assert layer["time_filtered"] and "wells" in views["environment"]

    window = f"{last_week.start.isoformat()}/{last_week.end.isoformat()}"
    panel = get("/api/stats", datetime=window).json()
    assert panel["counts"]["wells"] == 3
    assert panel["wells_by_kind"] == {"drilled": 2, "dug": 1}

    def insert() -> None:
        with psycopg.connect(plugin["url"], autocommit=True) as conn:
            conn.execute(f"INSERT INTO {APP}_well (code, kind, depth_m, found_at, geom) VALUES ('GW-LIVE', "
                         "'dug', 12, now(), ST_SetSRID(ST_MakePoint(%s, %s), 4326))", list(DONG_TAM))

    event = first_wells_event(server, operator, insert)
    assert event["layer"] == "wells" and event["count"] == 1


def test_removing_one_of_its_labels_fails_the_start_up_check_naming_layer_and_field(plugin):
    write_app(plugin["root"], {name: pair for name, pair in LABELS.items() if name != "depth_m"})
    checked = ioc(plugin, "check")
    assert checked.returncode != 0
    assert "layers.E003" in checked.stderr
    assert "layer 'wells': field 'depth_m' has no Vietnamese and English label" in checked.stderr


def test_the_step_by_step_page_names_the_files_this_test_writes():
    page = (Path(__file__).resolve().parent.parent / "docs" / "adding-a-layer.md").read_text(encoding="utf-8")
    steps = ("models.py", "catalog.py", "IOC_LAYER_APPS", "ioc makemigrations", "ioc migrate", "ioc check",
             "ioc import")
    for step in steps:
        assert step in page, step
    assert textwrap.dedent(MODELS).strip().splitlines()[-1].strip() in page  # the model shown is this one
