"""Who does what: operators and administrators act (the incidents layer's editors); leaders read; unit
staff see the steps of their units only (an incident without one is as absent as one that never
existed), not the log; anyone else is refused (401 signed out, 403 without the role)."""

from __future__ import annotations

import pytest
from response_calls import DONG_TAM, NAM_CUONG, open_by_api

from layers.models import Incident

pytestmark = pytest.mark.django_db
NEW = {"category": "infrastructure", "lon": DONG_TAM[0], "lat": DONG_TAM[1], "title": "Cây đổ"}


@pytest.mark.parametrize(("user", "status"), [(None, 401), ("gis", 403), ("diachinh.dongtam", 403),
                                              ("lanhdao", 403), ("xuly.namcuong", 403), ("vanhanh", 201),
                                              ("quantri", 201)])
def test_only_operators_and_administrators_open_incidents(api, sop, user, status):
    assert api("POST", "incidents", NEW, user=user).status_code == status


@pytest.mark.parametrize(("user", "status"), [(None, 401), ("gis", 403), ("lanhdao", 403),
                                              ("xuly.namcuong", 403), ("quantri", 200)])
def test_only_operators_and_administrators_complete_steps(api, sop, user, status):
    body = open_by_api(api, point=NAM_CUONG)
    step = body["steps"][1]  # UBND Nam Cường's: its staff see it, not complete it
    answer = api("POST", f"incidents/{body['incident']['id']}/steps/{step['id']}/done", {}, user=user)
    assert answer.status_code == status


@pytest.mark.parametrize(("user", "status"), [(None, 401), ("gis", 403), ("lanhdao", 403),
                                              ("xuly.namcuong", 403), ("quantri", 201)])
def test_only_operators_and_administrators_write_the_log(api, sop, user, status):
    incident = open_by_api(api, point=NAM_CUONG)["incident"]["id"]
    assert api("POST", f"incidents/{incident}/log", {"note": "…"}, user=user).status_code == status


@pytest.mark.parametrize(("user", "status"), [(None, 401), ("gis", 403), ("diachinh.dongtam", 403),
                                              ("lanhdao", 200), ("vanhanh", 200)])
def test_leaders_read_what_operators_read(api, sop, user, status):
    body = open_by_api(api)
    incident = body["incident"]["id"]
    for path in (f"incidents/{incident}", f"incidents/{incident}/log", "incidents", "sops",
                 f"incidents/{incident}/nearest?kind=health"):
        assert api("GET", path, user=user).status_code == status, path
    if status == 200:
        shown = api("GET", f"incidents/{incident}", user=user).json()
        assert len(shown["steps"]) == 3 and shown["may_act"] is (user == "vanhanh")


def test_unit_staff_see_the_steps_of_their_units_only(api, sop):
    here = open_by_api(api, point=NAM_CUONG)
    elsewhere = open_by_api(api, point=DONG_TAM)
    shown = api("GET", f"incidents/{here['incident']['id']}", user="xuly.namcuong")
    assert shown.status_code == 200
    body = shown.json()
    assert [step["unit"]["code"] for step in body["steps"]] == ["UBND-04303"]
    assert body["log"] is None and body["may_act"] is False
    assert "description" not in body["incident"]  # a restricted field of the incidents layer
    assert api("GET", f"incidents/{elsewhere['incident']['id']}", user="xuly.namcuong").status_code == 404
    assert api("GET", f"incidents/{here['incident']['id']}/log", user="xuly.namcuong").status_code == 403
    listed = [row["id"] for row in api("GET", "incidents", user="xuly.namcuong").json()["incidents"]]
    assert here["incident"]["id"] in listed and elsewhere["incident"]["id"] not in listed


def test_the_steps_layer_through_ogc_keeps_unit_staff_to_their_units(api, sop, client, as_user):
    here = open_by_api(api, point=NAM_CUONG)
    open_by_api(api, point=DONG_TAM)
    items = client.get("/ogc/collections/incident_steps/items?limit=1000", **as_user("xuly.namcuong"))
    assert items.status_code == 200, items.content
    units = {feature["properties"]["unit"] for feature in items.json()["features"]}
    assert units == {here["steps"][1]["unit"]["id"]}
    assert client.get("/ogc/collections/incident_steps/items").status_code in (401, 403, 404)


def test_an_unknown_incident_is_a_404(api, sop):
    missing = (Incident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    for path in (f"incidents/{missing}", f"incidents/{missing}/log", f"incidents/{missing}/nearest?kind=fire",
                 "incidents/abc"):
        assert api("GET", path).status_code == 404, path
