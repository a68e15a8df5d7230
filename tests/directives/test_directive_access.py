"""Who may do what with directives: leaders (and administrators) issue and cancel; the unit's own staff
acknowledge, report and close; operators and leaders read everything; a unit's staff see their unit's
directives only, on every path (this API, the OGC items of the `directives` layer, its tiles), and
another unit's answers as if it did not exist. Each refusal names the field or the role."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from directive_api import API, LEADER, OPERATOR, STAFF, get, issue, jpeg, move
from django.contrib.gis.db.models import Extent

from directives.models import Directive
from layers.models import AdminUnit
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/directives/items"


@pytest.fixture
def batch(client, as_user, unit_a, unit_b) -> dict[str, int]:
    """One directive to each of unit A and unit B (one batch), and one to unit B alone."""
    both = issue(client, as_user, units=[unit_a.pk, unit_b.pk]).json()["directives"]
    alone = issue(client, as_user, units=[unit_b.pk]).json()["directives"][0]
    return {"a": both[0]["id"], "b": both[1]["id"], "b_alone": alone["id"]}


def ogc_ids(client, as_user, user: str) -> set[int]:
    page = client.get(ITEMS, {"limit": 10000}, **as_user(user))
    assert page.status_code == 200, page.content[:300]
    return {feature["id"] for feature in page.json()["features"]}


def test_a_units_staff_see_their_units_directives_only(client, as_user, batch, unit_a):
    mine = set(Directive.objects.filter(unit=unit_a).values_list("pk", flat=True))
    listed = get(client, as_user, user=STAFF, limit=500).json()
    assert {row["id"] for row in listed["directives"]} == mine and listed["total"] == len(mine)
    assert batch["a"] in mine and not {batch["b"], batch["b_alone"]} & mine
    assert get(client, as_user, f"{batch['a']}", user=STAFF).status_code == 200
    for theirs in (batch["b"], batch["b_alone"]):
        assert get(client, as_user, f"{theirs}", user=STAFF).status_code == 404
        assert move(client, as_user, theirs, "acknowledge").status_code == 404
    assert get(client, as_user, "999999999", user=STAFF).status_code == 404
    assert ogc_ids(client, as_user, STAFF) == mine
    assert client.get(f"{ITEMS}/{batch['b']}", **as_user(STAFF)).status_code == 404
    assert client.get(f"{ITEMS}/{batch['a']}", **as_user(STAFF)).status_code == 200


def test_the_batch_shows_a_unit_only_its_own_directive(client, as_user, batch):
    case = get(client, as_user, f"{batch['a']}", user=STAFF).json()
    assert [row["id"] for row in case["batch_directives"]] == [batch["a"]]
    everyone = get(client, as_user, f"{batch['a']}", user=LEADER).json()
    assert [row["id"] for row in everyone["batch_directives"]] == [batch["a"], batch["b"]]


def test_the_tiles_carry_a_units_directives_only(client, as_user, batch, unit_a, settings, tmp_path):
    settings.TILE_CACHE_DIR = tmp_path / "tiles"  # tiles of this test's directives, not cached ones
    extent = AdminUnit.objects.filter(level="commune").aggregate(e=Extent("geom"))["e"]
    found: dict[str, set[int]] = {STAFF: set(), OPERATOR: set()}
    for user, seen in found.items():
        for tile in tiles_covering(extent, 10):
            answer = client.get(f"/tiles/directives/{tile.z}/{tile.x}/{tile.y}.pbf", **as_user(user))
            assert answer.status_code == 200, answer.content[:300]
            layer = mapbox_vector_tile.decode(answer.content).get("directives", {"features": []})
            seen |= {feature["id"] for feature in layer["features"]}
    assert found[STAFF] == set(Directive.objects.filter(unit=unit_a).values_list("pk", flat=True))
    assert found[OPERATOR] == set(Directive.objects.values_list("pk", flat=True))


def test_operators_and_unit_staff_do_not_issue_and_strangers_are_asked_to_sign_in(client, as_user, unit_a):
    for user in (OPERATOR, STAFF):
        refused = issue(client, as_user, user=user, units=[unit_a.pk])
        assert refused.status_code == 403, user
        assert "lãnh đạo" in refused.json()["description"]
    assert client.post(API, "{}", content_type="application/json").status_code == 401
    assert client.get(API).status_code == 401
    assert client.get(API, **as_user("gis")).status_code == 403  # a GIS user does not read directives
    assert issue(client, as_user, user="quantri", units=[unit_a.pk]).status_code == 201


def test_only_the_units_staff_work_a_directive_and_only_leaders_cancel(client, as_user, unit_a):
    pk = issue(client, as_user, units=[unit_a.pk]).json()["directives"][0]["id"]
    for user in (LEADER, OPERATOR):
        assert move(client, as_user, pk, "acknowledge", user=user).status_code == 403, user
    assert move(client, as_user, pk, "cancel", user=STAFF, reason="Không làm").status_code == 403
    assert move(client, as_user, pk, "cancel", user=OPERATOR, reason="Không làm").status_code == 403
    moves = {user: [m["name"] for m in get(client, as_user, f"{pk}", user=user).json()["moves"]]
             for user in (LEADER, OPERATOR, STAFF)}
    assert moves == {LEADER: ["cancel"], OPERATOR: [], STAFF: ["acknowledge"]}
    assert move(client, as_user, pk, "acknowledge", user="quantri").status_code == 200


def test_a_move_out_of_order_is_a_conflict_naming_the_status(client, as_user, unit_a):
    pk = issue(client, as_user, units=[unit_a.pk]).json()["directives"][0]["id"]
    early = move(client, as_user, pk, "done", note="Xong", photos=(jpeg(),))
    assert early.status_code == 409 and early.json()["description"].startswith("status:")
    assert move(client, as_user, pk, "acknowledge").status_code == 200
    twice = move(client, as_user, pk, "acknowledge")
    assert twice.status_code == 409 and twice.json()["description"].startswith("status:")
    assert move(client, as_user, pk, "progress").json()["description"].startswith("note:")
    assert client.post(f"{API}{pk}/fly", "{}", content_type="application/json",
                       **as_user(STAFF)).status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"units": []}, "units"),
    ({"units": "3"}, "units"),
    ({"units": [999999]}, "units"),
    ({"title": " "}, "title"),
    ({"text": ""}, "text"),
    ({"due_at": None}, "due_at"),
    ({"due_at": "ngày mai"}, "due_at"),
    ({"due_at": "2001-01-01T00:00:00+07:00"}, "due_at"),
    ({"priority": "hoả tốc"}, "priority"),
    ({"lon": 104.9}, "lat"),
    ({"lon": 2.35, "lat": 48.85}, "location"),
    ({"incident": 999999999}, "incident"),
    ({"report": "PA-1"}, "report"),
    ({"alert": -1}, "alert"),
])
def test_each_refused_issue_names_the_field(client, as_user, unit_a, body, field):
    answer = issue(client, as_user, **{"units": [unit_a.pk], **body})
    assert answer.status_code == 400, answer.content
    message = answer.json()["description"]
    assert message.startswith(f"{field}:") and " / " in message, message


def test_a_photo_that_is_not_an_image_is_refused_naming_photos(client, as_user, unit_a):
    import io

    pk = issue(client, as_user, units=[unit_a.pk]).json()["directives"][0]["id"]
    move(client, as_user, pk, "acknowledge")
    fake = io.BytesIO(b"not an image")
    fake.name = "bien-ban.jpg"
    answer = move(client, as_user, pk, "done", note="Xong", photos=(fake,))
    assert answer.status_code == 400 and answer.json()["description"].startswith("photos:")
    assert Directive.objects.get(pk=pk).status == "acknowledged"


@pytest.mark.parametrize(("query", "field"), [
    ("status=finished", "status"), ("unit=abc", "unit"), ("overdue=maybe", "overdue"), ("ward=x", "ward"),
    ("datetime=yesterday", "datetime"), ("limit=0", "limit"), ("sort=random", "sort"), ("f=kml", "f"),
])
def test_each_refused_filter_names_the_parameter(client, as_user, query, field):
    answer = client.get(f"{API}?{query}", **as_user(LEADER))
    assert answer.status_code == 400, answer.content
    assert answer.json()["description"].startswith(f"{field}:")
