"""The overdue rule has one definition (the layer's Deadline): the map rings exactly the reports
the KPI panel counts as overdue. The map's side is its own expression (enhance.js overdueRule, sent
the rule by /api/layers) evaluated by MapLibre's filter engine on the features of the real tiles."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.auth import get_user_model

from democity.models import DemoCity
from layers.models import AdminUnit
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db
RULE_SCRIPT = Path(__file__).with_name("overdue_rule.mjs")


def operator(client):
    client.force_login(get_user_model().objects.get(username="vanhanh"))
    return client


def reports_in_tiles(client, window: str) -> dict[int, dict]:
    """Every citizen report the map's tiles carry for the window (zoom 10 holds the whole city)."""
    from django.contrib.gis.db.models import Extent

    extent = AdminUnit.objects.filter(level="commune").aggregate(e=Extent("geom"))["e"]
    found = {}
    for tile in tiles_covering(extent, 10):
        response = client.get(f"/tiles/citizen_reports/{tile}.pbf", {"datetime": window})
        assert response.status_code == 200, response.content[:300]
        decoded = mapbox_vector_tile.decode(response.content).get("citizen_reports", {"features": []})
        found |= {feature["id"]: feature["properties"] for feature in decoded["features"]}
    return found


def late_on_the_map(deadline: dict, features: dict[int, dict], now_ms: int) -> set[int]:
    node = shutil.which("node")
    assert node, "node is installed by scripts/lib.sh (the map is built with it)"
    answer = subprocess.run(
        [node, str(RULE_SCRIPT)], check=True, capture_output=True, text=True, timeout=60,
        input=json.dumps({"deadline": deadline, "now_ms": now_ms,
                          "features": [{"id": i, "properties": p} for i, p in features.items()]}))
    return set(json.loads(answer.stdout))


def test_the_map_rings_exactly_the_reports_the_kpi_counts_as_overdue(client):
    client = operator(client)
    last = DemoCity.current().window(30)  # the demo's last 30 days, whatever the date
    window = f"{last.start.isoformat()}/{last.end.isoformat()}"
    layers = client.get("/api/layers").json()["layers"]
    layer = next(layer for layer in layers if layer["id"] == "citizen_reports")
    assert layer["deadline"] == {"due": "due_at", "done": "resolved_at", "status": "status",
                                 "closed": ["resolved", "rejected"]}

    features = reports_in_tiles(client, window)  # below the detail zoom: the rule's fields are there
    late = late_on_the_map(layer["deadline"], features, int(time.time() * 1000))
    panel = client.get("/api/stats", {"datetime": window}).json()

    assert len(features) == panel["counts"]["citizen_reports"] > 0
    assert 0 < len(late) == panel["reports_overdue"] < len(features)


def test_a_report_resolved_late_and_one_rejected_are_judged_alike_by_both(client):
    """The two copies that used to disagree: a rejected report past its due date is not late;
    a report resolved after its due date is late."""
    deadline = {"due": "due_at", "done": "resolved_at", "status": "status",
                "closed": ["resolved", "rejected"]}
    due, early, late = "2020-01-05T00:00:00+07:00", "2020-01-03T00:00:00+07:00", "2020-01-07T00:00:00+07:00"
    features = {
        1: {"status": "rejected", "due_at": due},
        2: {"status": "resolved", "due_at": due, "resolved_at": late},
        3: {"status": "in_progress", "due_at": due},
        4: {"status": "resolved", "due_at": due, "resolved_at": early},
        5: {"status": "received", "due_at": "2999-01-01T00:00:00+07:00"},
    }
    assert late_on_the_map(deadline, features, int(time.time() * 1000)) == {2, 3}
