"""An incident raised by a camera rule tells anonymous readers what happened and where, never which camera.

The incident's `camera` is a restricted field; its public code and title (and the live feed's label,
which is the title) must not carry it: not the camera's id or code, not its name, not the names of the
zones drawn on it (each zone belongs to one camera). Two cameras raising the same alert at the same
moment and place give incidents that read the same to anonymous clients, except for their codes.
"""

from __future__ import annotations

import http.client
import importlib
import json
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import mapbox_vector_tile
import pytest
from django.utils import timezone

from layers.models import AdminUnit, Camera
from layers.vocabularies import ADMIN_TYPE, OBJECT_CLASS
from tiles.grid import tiles_covering
from vision.demo import DWELL_NAME, ZONE_NAME
from vision.writer import Batch, DetectionWriter, EventRow

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/incidents/items"
AI_CODES = {"filter": "code LIKE 'AI-%'", "limit": 10000}
ALERTS = (("intrusion", ZONE_NAME), ("dwell", DWELL_NAME))


def raise_alerts(camera: Camera, at, database_url: str) -> list[int]:
    """An intrusion and a dwell on `camera`'s zones at `at`, through the writer; the incidents' ids."""
    lon, lat = camera.geom.x + 0.0001, camera.geom.y + 0.0001
    events = [EventRow(camera.id, 1, zone, kind, 0, "person", at, lon, lat) for kind, zone in ALERTS]
    writer = DetectionWriter(database_url)
    try:
        writer.write(Batch(0, 1, None, 1, [], events))  # no run: only the events are stored
        return [row[0] for row in writer.conn.execute(
            "SELECT incident_id FROM vision_zone_incident WHERE camera_id = %s ORDER BY incident_id",
            [camera.id])]
    finally:
        writer.close()


def secrets_of(camera: Camera) -> list[str]:
    """What would tell which camera raised an incident: its id (as the old codes wrote it), code,
    name, and the names of the zones drawn on it."""
    return [f"AI-{camera.id}-", camera.code, camera.name, ZONE_NAME, DWELL_NAME]


def leaks(value: object, camera: Camera) -> list[str]:
    text = json.dumps(value, ensure_ascii=False).casefold()
    return [secret for secret in secrets_of(camera) if secret.casefold() in text]


@pytest.fixture(scope="module")
def moment():
    return timezone.now().replace(microsecond=0) - timedelta(minutes=5)


@pytest.fixture(scope="module")
def raised(make_camera, database_url, moment) -> dict[Camera, list[int]]:
    """Two cameras at the same place, each raising an intrusion and a dwell at the same moment."""
    cameras = [make_camera(code) for code in ("PRIVACY-CAM-A", "PRIVACY-CAM-B")]
    return {camera: raise_alerts(camera, moment, database_url) for camera in cameras}


def ours(features: list[dict], raised: dict[Camera, list[int]]) -> dict[int, dict]:
    ids = {pk for pks in raised.values() for pk in pks}
    return {f["id"]: f for f in features if f["id"] in ids}


def test_ogc_items_of_camera_incidents_name_no_camera(client, raised):
    response = client.get(ITEMS, AI_CODES)
    assert response.status_code == 200, response.content[:400]
    found = ours(response.json()["features"], raised)
    assert len(found) == 4
    for camera, pks in raised.items():
        for pk in pks:
            assert leaks(found[pk]["properties"], camera) == [], found[pk]["properties"]
            assert found[pk]["properties"]["source"] == "camera_ai"


def test_the_code_cannot_be_probed_for_a_camera(client, raised):
    for camera in raised:
        response = client.get(ITEMS, {"filter": f"code LIKE 'AI-{camera.id}-%'"})
        assert response.status_code == 200, response.content[:400]
        assert response.json()["features"] == []


def test_the_code_is_the_local_day_and_a_number_and_the_title_names_the_rule_kind_and_ward(
    client, raised, moment
):
    ward = AdminUnit.objects.get(level="commune", valid_to__isnull=True,
                                 geom__intersects=next(iter(raised)).geom)
    where = f"{ADMIN_TYPE[ward.unit_type].vi.lower()} {ward.name}"
    person = OBJECT_CLASS["person"].vi.lower()
    found = ours(client.get(ITEMS, AI_CODES).json()["features"], raised)
    day = timezone.localtime(moment).strftime("%Y%m%d")
    for pks in raised.values():
        intrusion, dwell = (found[pk]["properties"] for pk in pks)
        assert intrusion["title"] == f"Xâm nhập vùng cấm tại {where}: {person}"
        assert dwell["title"] == f"Dừng quá lâu trong vùng giám sát tại {where}: {person}"
        for properties in (intrusion, dwell):
            assert re.fullmatch(rf"AI-{day}-\d{{6,}}", properties["code"]), properties["code"]
            assert properties["ward"] == ward.pk


def test_two_cameras_raising_the_same_alert_give_incidents_that_differ_only_by_code(client, raised):
    found = ours(client.get(ITEMS, AI_CODES).json()["features"], raised)
    (first, second) = (
        [({k: v for k, v in found[pk]["properties"].items() if k != "code"}, found[pk]["geometry"])
         for pk in pks]
        for pks in raised.values()
    )
    assert first == second
    assert len({f["properties"]["code"] for f in found.values()}) == 4


def test_sorting_by_code_follows_the_order_incidents_were_raised_not_the_cameras(client, raised):
    pks = [pk for pks in raised.values() for pk in pks]
    response = client.get(ITEMS, {**AI_CODES, "sortby": "code"})
    assert [f["id"] for f in response.json()["features"] if f["id"] in pks] == sorted(pks)


def test_free_text_search_cannot_tell_one_camera_from_another(client, raised):
    def found(q: str) -> set[int]:
        response = client.get(ITEMS, {**AI_CODES, "q": q})
        assert response.status_code == 200, response.content[:400]
        return set(ours(response.json()["features"], raised))

    nothing = found("không-có-gì-như-thế")
    for camera in raised:
        assert found(camera.code) == found(camera.name) == nothing


def test_vector_tiles_of_camera_incidents_name_no_camera(client, raised, moment):
    camera = next(iter(raised))
    window = f"{(moment - timedelta(hours=1)).isoformat()}/{(moment + timedelta(hours=1)).isoformat()}"
    for zoom in (12, 16):
        tile = next(tiles_covering((camera.geom.x, camera.geom.y, camera.geom.x, camera.geom.y), zoom))
        response = client.get(f"/tiles/incidents/{tile}.pbf", {"datetime": window})
        assert response.status_code == 200, response.content[:300]
        features = mapbox_vector_tile.decode(response.content)["incidents"]["features"]
        found = ours(features, raised)
        assert len(found) == 4
        for camera, pks in raised.items():
            for pk in pks:
                assert leaks(found[pk]["properties"], camera) == [], found[pk]["properties"]


def test_the_migration_rewrites_incidents_raised_under_the_old_scheme_and_no_other(raised):
    from django.apps import apps
    from django.db import connection

    from layers.models import Incident

    migration = importlib.import_module("vision.migrations.0002_incident_codes_without_camera")
    camera = next(iter(raised))
    ward = AdminUnit.objects.get(level="commune", valid_to__isnull=True, geom__intersects=camera.geom)
    where = f"{ADMIN_TYPE[ward.unit_type].vi.lower()} {ward.name}"
    at = datetime(2026, 10, 5, 17, 30, tzinfo=UTC)  # 00:30 on 6 October in Việt Nam
    old = {"source": "camera_ai", "severity": "medium", "camera": camera, "geom": camera.geom, "ward": ward}
    intrusion = Incident.objects.create(
        code=f"AI-{camera.id}-261005173000-858", category="intrusion", reported_at=at, **old,
        title=f"Xâm nhập vùng cấm “{ZONE_NAME}”: Người (camera {camera.code})")
    dwell = Incident.objects.create(
        code=f"AI-{camera.id}-261005173100-123", category="public_order",
        reported_at=at + timedelta(minutes=1), **old,
        title=f"Dừng quá lâu trong vùng “{'x' * 256}”: Ô tô (camera CAM")  # cut at 300 characters
    rest = Incident.objects.exclude(pk__in=[intrusion.pk, dwell.pk]).order_by("pk")
    before = list(rest.values_list("code", "title"))
    with connection.schema_editor() as editor:
        migration.rewrite(apps, editor)
    intrusion.refresh_from_db()
    dwell.refresh_from_db()
    assert intrusion.title == f"Xâm nhập vùng cấm tại {where}: người"
    assert dwell.title == f"Dừng quá lâu trong vùng giám sát tại {where}"
    first, second = (re.fullmatch(r"AI-20261006-(\d{6,})", i.code) for i in (intrusion, dwell))
    assert int(second[1]) == int(first[1]) + 1
    assert list(rest.values_list("code", "title")) == before


def feature_messages(base: str, until_ids: set[int], start, seconds: float = 15.0) -> list[dict]:
    """Open /api/live anonymously, call `start()` once connected, and read `feature` payloads until
    every id in `until_ids` (filled by start) has been seen."""
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=seconds)
    conn.request("GET", "/api/live", headers={"Accept": "text/event-stream"})
    response = conn.getresponse()
    assert response.status == 200
    payloads, event, deadline = [], "", time.monotonic() + seconds
    try:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line == ": connected":
                start()
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "feature":
                payloads.append(json.loads(line[5:]))
                seen = {f["id"] for p in payloads if p["layer"] == "incidents" for f in p["features"]}
                if until_ids and until_ids <= seen:
                    return payloads
            if time.monotonic() > deadline:
                break
    finally:
        conn.close()
    raise AssertionError(f"the live feed did not send incidents {sorted(until_ids)}: {payloads}")


@pytest.fixture(scope="module")
def live_camera(make_camera) -> Camera:
    return make_camera("PRIVACY-CAM-LIVE")  # committed: the writer's own connection must see it


def test_the_live_feed_label_names_no_camera(server_url, live_camera, database_url):
    pks: set[int] = set()

    def start() -> None:
        pks.update(raise_alerts(live_camera, timezone.now().replace(microsecond=0), database_url))

    payloads = feature_messages(server_url, pks, start)
    features = [f for p in payloads if p["layer"] == "incidents" for f in p["features"] if f["id"] in pks]
    assert len(features) == 2 and all(f["label"] for f in features)
    assert leaks(features, live_camera) == [], features
