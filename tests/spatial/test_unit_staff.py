"""Unit staff (cán bộ xử lý) see and act only on their unit's reports (#18).

Two units of the demo city, each with its reports: the demo account of unit A, `xuly.namcuong`
(UBND Nam Cường), is probed through every path a report is read or changed by, and each answer is
compared with plain SQL over unit A's reports. Another unit's report answers as if it did not exist
(404), as it does for an id no report has.
"""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Callable, Iterator
from urllib.parse import urlparse

import mapbox_vector_tile
import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django_fsm_log.models import StateLog

from democity.models import DemoCity
from layers.models import AdminUnit, CitizenReport, ResponsibleUnit
from layers.registry import registry
from spatial.access import Viewer
from spatial.config import DatabaseConfig
from spatial.demo_accounts import DEMO_PASSWORD
from spatial.models import UnitAssignment
from spatial.roles import UNIT_STAFF
from tiles.grid import tiles_covering
from web_map.live_feed import ViewerFilter

pytestmark = pytest.mark.django_db
STAFF = "xuly.namcuong"
GEOJSON = "application/geo+json"
ITEMS = "/ogc/collections/citizen_reports/items"


@pytest.fixture(autouse=True)
def tile_cache(settings, tmp_path):
    settings.TILE_CACHE_DIR = tmp_path / "tiles"


@pytest.fixture
def unit_a() -> ResponsibleUnit:
    return ResponsibleUnit.objects.get(name="UBND Nam Cường")


@pytest.fixture
def unit_b() -> ResponsibleUnit:
    return ResponsibleUnit.objects.get(name="UBND Yên Bái")


def ids_of(unit: ResponsibleUnit) -> set[int]:
    """Unit's reports, by plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM layers_citizenreport WHERE unit_id = %s", [unit.pk])
        return {row[0] for row in cursor.fetchall()}


def report_of(unit: ResponsibleUnit, status: str) -> CitizenReport:
    return CitizenReport.objects.filter(unit=unit, status=status).order_by("pk").first()


def patch(client, as_user, report: CitizenReport, body: dict, user: str = STAFF):
    return client.patch(f"{ITEMS}/{report.pk}", json.dumps(body), content_type=GEOJSON,
                        HTTP_IF_MATCH=f'"{report.version}"', **as_user(user))


def moves_of(report: CitizenReport) -> list[tuple]:
    """The moves made since the demo was loaded (not the history it was loaded with)."""
    return list(StateLog.objects.for_(report).filter(timestamp__gte=DemoCity.current().window().end)
                .order_by("pk")
                .values_list("transition", "source_state", "state", "by__username", "description"))


# -- who is limited ------------------------------------------------------------------------------
def test_the_demo_staff_account_works_for_one_unit(unit_a):
    staff = User.objects.get(username=STAFF)
    assert list(staff.groups.values_list("name", flat=True)) == [UNIT_STAFF.code]
    assert list(UnitAssignment.objects.filter(user=staff).values_list("unit", flat=True)) == [unit_a.pk]


def test_only_unit_staff_are_limited_and_only_on_layers_naming_a_unit(unit_a):
    reports, incidents = registry.get("citizen_reports"), registry.get("incidents")
    assert reports.unit_field == "unit" and incidents.unit_field is None
    staff = Viewer.of(User.objects.get(username=STAFF))
    assert staff.unit_ids == frozenset({unit_a.pk})
    assert staff.unit_scope(reports) == frozenset({unit_a.pk})
    assert staff.unit_scope(incidents) is None
    for name in ("vanhanh", "lanhdao", "quantri"):
        assert Viewer.of(User.objects.get(username=name)).unit_scope(reports) is None, name


def test_unit_staff_work_the_reports_given_them_and_hand_none_over():
    reports = registry.get("citizen_reports")
    staff = Viewer.of(User.objects.get(username=STAFF))
    operator = Viewer.of(User.objects.get(username="vanhanh"))
    assert staff.can_move(reports, "assigned", hands_over=False)  # start, reject
    assert not staff.can_move(reports, "assigned", hands_over=True)  # reassign
    assert not staff.can_move(reports, "resolved", hands_over=False)  # reopen
    assert operator.can_move(reports, "assigned", hands_over=True)


def test_an_operator_who_also_works_for_a_unit_still_sees_every_report(unit_a):
    both = User.objects.create_user("vanhanh.xuly")
    both.groups.set([Group.objects.get(name="operator"), Group.objects.get(name=UNIT_STAFF.code)])
    UnitAssignment.objects.create(user=both, unit=unit_a)
    assert Viewer.of(both).unit_scope(registry.get("citizen_reports")) is None


def test_unit_staff_without_a_unit_see_no_report():
    lost = User.objects.create_user("xuly.chuagiao")
    lost.groups.set([Group.objects.get(name=UNIT_STAFF.code)])
    assert Viewer.of(lost).unit_scope(registry.get("citizen_reports")) == frozenset()


# -- reading -------------------------------------------------------------------------------------
def test_the_items_are_exactly_unit_a_reports(client, as_user, unit_a, unit_b):
    assert ids_of(unit_a) and ids_of(unit_b)
    seen, cursor = set(), None
    while True:
        page = client.get(ITEMS, {"limit": 500, **({"cursor": cursor} if cursor else {})}, **as_user(STAFF))
        assert page.status_code == 200, page.content[:300]
        body = page.json()
        seen |= {feature["id"] for feature in body["features"]}
        following = [link for link in body["links"] if link["rel"] == "next" and "cursor=" in link["href"]]
        if not following:
            break
        cursor = following[0]["href"].rsplit("cursor=", 1)[1].split("&")[0]
    assert seen == ids_of(unit_a)


def test_the_counts_are_unit_a_counts(client, as_user, unit_a):
    hits = client.get(ITEMS, {"resulttype": "hits"}, **as_user(STAFF)).json()
    assert hits["numberMatched"] == len(ids_of(unit_a))
    first = client.get(ITEMS, {"limit": 1}, **as_user(STAFF)).json()
    assert first["numberMatched"] == len(ids_of(unit_a))


def test_a_filter_or_a_past_moment_cannot_reach_another_unit(client, as_user, unit_b):
    other = client.get(ITEMS, {"filter": f"unit = {unit_b.pk}", "filter-lang": "cql2-text"}, **as_user(STAFF))
    assert other.status_code == 200 and other.json()["features"] == []
    by_property = client.get(ITEMS, {"unit": unit_b.pk}, **as_user(STAFF))
    assert by_property.status_code == 200 and by_property.json()["features"] == []
    moment = DemoCity.current().window(1).end.isoformat()
    past = client.get(ITEMS, {"as-of": moment, "unit": unit_b.pk}, **as_user(STAFF))
    assert past.status_code == 200 and past.json()["features"] == []


def test_another_units_report_is_not_found_as_a_missing_one_is(client, as_user, unit_a, unit_b):
    mine, theirs = min(ids_of(unit_a)), min(ids_of(unit_b))
    assert client.get(f"{ITEMS}/{mine}", **as_user(STAFF)).status_code == 200
    assert client.get(f"{ITEMS}/{theirs}", **as_user(STAFF)).status_code == 404
    assert client.get(f"{ITEMS}/{theirs}", **as_user("vanhanh")).status_code == 200
    assert client.get(f"{ITEMS}/{mine}/history", **as_user(STAFF)).status_code == 200
    assert client.get(f"{ITEMS}/{theirs}/history", **as_user(STAFF)).status_code == 404


def reports_in_tiles(client, headers: dict, path: str) -> set[int]:
    """Every citizen report the city's zoom-10 tiles carry (the city fits in a few)."""
    from django.contrib.gis.db.models import Extent

    extent = AdminUnit.objects.filter(level="commune").aggregate(e=Extent("geom"))["e"]
    found = set()
    for tile in tiles_covering(extent, 10):
        response = client.get(path.format(z=tile.z, x=tile.x, y=tile.y), **headers)
        assert response.status_code == 200, response.content[:300]
        decoded = mapbox_vector_tile.decode(response.content).get("citizen_reports", {"features": []})
        found |= {feature["id"] for feature in decoded["features"]}
    return found


def test_the_tiles_carry_unit_a_reports_only(client, as_user, unit_a):
    tiles = "/tiles/citizen_reports/{z}/{x}/{y}.pbf"
    assert reports_in_tiles(client, as_user(STAFF), tiles) == ids_of(unit_a)
    assert len(reports_in_tiles(client, as_user("vanhanh"), tiles)) == CitizenReport.objects.count()
    ogc = "/ogc/collections/citizen_reports/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
    assert reports_in_tiles(client, as_user(STAFF), ogc) == ids_of(unit_a)


def test_the_panel_counts_unit_a_reports(client, as_user, unit_a):
    window = "2000-01-01T00:00:00Z/2100-01-01T00:00:00Z"
    with connection.cursor() as cursor:  # the panel's membership rule: in the city of today's communes
        cursor.execute(
            "SELECT count(*) FROM layers_citizenreport r, (SELECT ST_Union(geom) AS geom "
            "FROM layers_adminunit WHERE level = 'commune' AND valid_from <= current_date "
            "AND (valid_to IS NULL OR valid_to > current_date)) city "
            "WHERE r.unit_id = %s AND ST_Intersects(r.geom, city.geom)", [unit_a.pk])
        expected = cursor.fetchone()[0]
    panel = client.get("/api/stats", {"datetime": window}, **as_user(STAFF)).json()
    assert 0 < panel["counts"]["citizen_reports"] == expected
    assert sum(panel["reports_by_category"].values()) == expected
    everyone = client.get("/api/stats", {"datetime": window}, **as_user("vanhanh")).json()
    assert everyone["counts"]["citizen_reports"] > expected


# -- acting --------------------------------------------------------------------------------------
def test_unit_staff_work_their_units_report_and_the_move_is_logged(client, as_user, unit_a):
    report = report_of(unit_a, "assigned")
    answer = patch(client, as_user, report, {"properties": {"status": "in_progress"}})
    assert answer.status_code == 200, answer.content
    report.refresh_from_db()
    answer = patch(client, as_user, report, {"properties": {"status": "resolved"},
                                             "note": "Đã sửa ống nước."})
    assert answer.status_code == 200, answer.content
    assert moves_of(report) == [("start", "assigned", "in_progress", STAFF, None),
                                ("resolve", "in_progress", "resolved", STAFF, "Đã sửa ống nước.")]


def test_another_units_report_cannot_be_changed(client, as_user, unit_b):
    report = report_of(unit_b, "assigned")
    answer = patch(client, as_user, report, {"properties": {"status": "in_progress"}})
    assert answer.status_code == 404
    assert CitizenReport.objects.get(pk=report.pk).status == "assigned" and moves_of(report) == []


def test_unit_staff_neither_hand_a_report_to_a_unit_nor_reopen_it(client, as_user, unit_a, unit_b):
    assigned = report_of(unit_a, "assigned")
    away = patch(client, as_user, assigned, {"properties": {"unit": unit_b.pk}, "note": "Không đúng địa bàn"})
    assert away.status_code == 403 and "unit" in away.json()["description"]
    working = report_of(unit_a, "in_progress")
    back = patch(client, as_user, working, {"properties": {"status": "assigned"}, "note": "Trả lại"})
    assert back.status_code == 403
    resolved = report_of(unit_a, "resolved")
    reopened = patch(client, as_user, resolved, {"properties": {"status": "received"}})
    assert reopened.status_code == 403
    assert moves_of(assigned) == moves_of(working) == moves_of(resolved) == []


def test_unit_staff_ask_the_citizen_and_reject(client, as_user, unit_a):
    working, assigned = report_of(unit_a, "in_progress"), report_of(unit_a, "assigned")
    asked = patch(client, as_user, working, {"properties": {"status": "waiting"},
                                             "note": "Xin địa chỉ cụ thể?"})
    rejected = patch(client, as_user, assigned, {"properties": {"status": "rejected"},
                                                 "note": "Không thuộc thẩm quyền"})
    assert (asked.status_code, rejected.status_code) == (200, 200)
    assert moves_of(working)[-1][0] == "ask_citizen" and moves_of(assigned)[-1][0] == "reject"


# -- the live feed -------------------------------------------------------------------------------
def test_the_live_feed_drops_another_units_reports(unit_a, unit_b):
    place = {"lon": 104.9, "lat": 21.7, "time": "2026-11-24T08:00:00+07:00", "value": "assigned"}
    notice = {"layer": "citizen_reports", "count": 3, "features": [
        {"id": 1, **place, "label": "A", "unit": unit_a.pk},
        {"id": 2, **place, "label": "B", "unit": unit_b.pk},
        {"id": 3, **place, "label": "-", "unit": None}]}
    staff = ViewerFilter(Viewer.of(User.objects.get(username=STAFF)))(notice)
    assert [feature["id"] for feature in staff["features"]] == [1] and staff["count"] == 1
    assert "unit" not in staff["features"][0]
    operator = ViewerFilter(Viewer.of(User.objects.get(username="vanhanh")))(notice)
    assert [feature["id"] for feature in operator["features"]] == [1, 2, 3] and operator["count"] == 3


@pytest.fixture
def database() -> Iterator[psycopg.Connection]:
    """A plain autocommit connection (as an importer would insert); its reports are deleted after."""
    db = settings.DATABASES["default"]
    url = DatabaseConfig(name=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=int(db["PORT"])).as_url()
    with psycopg.connect(url, autocommit=True) as conn:
        yield conn
        conn.execute("DELETE FROM layers_citizenreport WHERE code LIKE 'UNIT-LIVE-%%'")


def first_feature_event(server_url: str, user: str, insert: Callable[[], None], seconds: float = 5) -> dict:
    """Open /api/live as `user`, run `insert` once connected, and return the first feature message."""
    url = urlparse(server_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=seconds)
    token = base64.b64encode(f"{user}:{DEMO_PASSWORD}".encode()).decode()
    conn.request("GET", "/api/live",
                 headers={"Accept": "text/event-stream", "Authorization": f"Basic {token}"})
    response = conn.getresponse()
    assert response.status == 200
    event, inserted = "", False
    try:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line == ": connected" and not inserted:
                insert()
                inserted = True
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "feature":
                return json.loads(line[5:])
    finally:
        conn.close()
    raise AssertionError("the stream ended without a feature")


def test_a_report_inserted_for_another_unit_never_reaches_unit_staff(server_url, database, unit_a, unit_b):
    def insert() -> None:
        for code, unit in (("UNIT-LIVE-B", unit_b), ("UNIT-LIVE-A", unit_a)):  # B's first: it must be skipped
            database.execute(
                "INSERT INTO layers_citizenreport (code, category, channel, status, title, description, "
                "responsible_unit, received_at, due_at, reopened, citizen_key_digest, unit_id, geom) "
                "VALUES (%s, 'environment', 'app', 'assigned', %s, '', %s, now(), "
                "now() + interval '7 days', 0, '', %s, ST_SetSRID(ST_MakePoint(104.9035, 21.689), 4326))",
                [code, f"Rác thải {code}", unit.name, unit.pk])

    message = first_feature_event(server_url, STAFF, insert)
    assert [feature["label"] for feature in message["features"]] == ["Rác thải UNIT-LIVE-A"]
