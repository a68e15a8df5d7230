"""Completeness ("Đủ"): the demo's 14 departments report two figures each month; 3 of them have not
reported the last complete month. The API, the page's table and the map's data name exactly those 3;
a report sent after the due day (5 working days after the month, by the working calendar) makes its
department late instead of missing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from test_entry import department_staff as department_staff  # a fixture
from test_entry import filled

from democity.models import DemoCity
from democity.reporting import DEPARTMENTS, MISSING
from indicators.completeness import due_at
from indicators.periods import Period
from indicators.registry import registry

pytestmark = pytest.mark.django_db
INDICATOR = "dossiers_received"


def last_month() -> Period:
    """The demo's last complete month (from the demo's own day, never today's)."""
    return Period.holding("month", DemoCity.current().today.replace(day=1) - timedelta(days=1))


def statuses(rows: list[dict]) -> dict[str, str]:
    return {row["code"]: row["status"] for row in rows}


def expected(**changed: str) -> dict[str, str]:
    found = {code: "missing" if code in MISSING else "on_time" for code, _vi, _en in DEPARTMENTS}
    return {**found, **changed}


def test_the_api_names_the_three_departments_missing_the_last_month(client, as_user):
    period = last_month()
    answer = client.get(
        f"/api/hub/completeness?indicator={INDICATOR}&period={period.label}", **as_user("lanhdao")
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert len(DEPARTMENTS) == 14 and len(MISSING) == 3
    assert statuses(body["units"]) == expected()
    assert body["counts"] == {"on_time": 11, "late": 0, "missing": 3}
    assert body["due"] == due_at(registry.get(INDICATOR), period).isoformat()


def test_the_page_and_the_map_say_the_same(client, as_user):
    period = last_month()
    query = f"indicator={INDICATOR}&period={period.label}"
    page = client.get(f"/chi-tieu/ty-le-bao-cao/?{query}", **as_user("lanhdao")).content.decode()
    rows = dict(re.findall(r'<tr data-unit="([^"]+)" data-status="([^"]+)"', page))
    assert rows == expected()
    assert "Chưa báo cáo" in page and "Đúng hạn" in page
    shapes = client.get(f"/api/hub/completeness/map?{query}", **as_user("lanhdao")).json()
    assert shapes["type"] == "FeatureCollection"
    assert {f["properties"]["code"]: f["properties"]["status"] for f in shapes["features"]} == expected()
    listed = {f["properties"]["code"] for f in shapes["features"] if f["geometry"] is None}
    assert listed and all(f["properties"]["kind"] == "agency" for f in shapes["features"])


def test_a_late_report_makes_its_department_late(client, as_user, monkeypatch, department_staff):
    period = last_month()
    late_code = sorted(MISSING)[0]
    moment = due_at(registry.get(INDICATOR), period) + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    staff = department_staff(late_code)
    client.force_login(staff)
    url = f"/chi-tieu/nhap/{late_code}/{period.label}/"
    sent = client.post(
        url, filled(client, url, dossiers_received="40", dossiers_on_time="30", action="submit")
    )
    assert sent.status_code == 303, sent.content.decode()[:2000]
    client.logout()
    body = client.get(
        f"/api/hub/completeness?indicator={INDICATOR}&period={period.label}", **as_user("lanhdao")
    ).json()
    assert statuses(body["units"]) == expected(**{late_code: "late"})
    assert body["counts"] == {"on_time": 11, "late": 1, "missing": 2}


def test_completeness_needs_a_signed_in_user_and_a_known_indicator(client, as_user):
    label = last_month().label
    anonymous = Client().get(f"/api/hub/completeness?indicator={INDICATOR}&period={label}")
    assert anonymous.status_code == 401, anonymous.content[:300]
    unknown = client.get(f"/api/hub/completeness?indicator=nope&period={label}&lang=en", **as_user("lanhdao"))
    assert unknown.status_code == 404 and "unknown indicator 'nope'" in unknown.json()["description"]


def test_areas_are_drawn_in_their_colour_and_agencies_listed(hub_units, client):
    """The test province of hub_data in July 2025: its communes and its agency owe the headcount (the
    province does not: they stand for it); N2 and the agency reported in February 2026, late; N1 not."""
    query = "indicator=staff_headcount&period=2025-07"
    shapes = client.get(f"/api/hub/completeness/map?{query}").json()["features"]
    ours = {
        f["properties"]["code"]: f
        for f in shapes
        if f["properties"]["code"] in ("T15", "T101", "T102", "TSTC")
    }
    assert {code: f["properties"]["status"] for code, f in ours.items()} == {
        "T101": "missing",
        "T102": "late",
        "TSTC": "late",
    }
    assert ours["T101"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert ours["TSTC"]["geometry"] is None
    page = client.get(f"/chi-tieu/ty-le-bao-cao/?{query}").content.decode()
    drawn = dict(
        re.findall(r'<path d="[^"]+" fill="#[0-9a-f]+" data-unit="([^"]+)" data-status="([^"]+)"', page)
    )
    assert (drawn["T101"], drawn["T102"]) == ("missing", "late") and "TSTC" not in drawn


def test_a_data_set_is_as_complete_as_its_least_complete_figure(client):
    """?dataset=month: every monthly figure a unit owes; missing if one is, else late if one is."""
    label = last_month().label
    body = client.get(f"/api/hub/completeness?dataset=month&level=agency&period={label}").json()
    assert body["dataset"] == "month" and body["indicator"] is None and body["title"] == "Báo cáo tháng"
    worst: dict[str, str] = {}
    rank = {"on_time": 0, "late": 1, "missing": 2}
    for indicator in (i for i in registry if i.cadence == "month"):
        answer = client.get(f"/api/hub/completeness?indicator={indicator.code}&level=agency&period={label}")
        for code, state in statuses(answer.json()["units"]).items():
            worst[code] = max(worst.get(code, state), state, key=rank.__getitem__)
    assert statuses(body["units"]) == worst and set(worst) >= {code for code, _vi, _en in DEPARTMENTS}
    assert {code for code, state in worst.items() if state == "missing"} >= MISSING
    assert client.get(f"/api/hub/completeness?dataset=fortnight&period={label}").status_code == 400
