"""A step is late by the layer's one Deadline rule: done after its due time, or still to do past it
(the rule the map rings and the KPI panel counts); completing one records who, when, the ticked
checklist and a note, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from response_calls import START, open_by_api

from layers.registry import registry

pytestmark = pytest.mark.django_db


def steps_of(api, incident_id: int) -> dict[int, dict]:
    return {step["number"]: step for step in api("GET", f"incidents/{incident_id}").json()["steps"]}


def done(api, incident_id: int, step_id: int, body: dict | None = None):
    return api("POST", f"incidents/{incident_id}/steps/{step_id}/done", body or {})


def test_the_steps_layer_declares_the_deadline_and_its_kpis():
    layer = registry.get("incident_steps")
    assert (layer.deadline.due, layer.deadline.done) == ("due_at", "done_at")
    assert layer.workflow.closed == ("done",)
    assert {kpi.code: kpi.kind for kpi in layer.kpis} == {"steps_on_time": "on_time", "steps_late": "overdue"}


def test_completing_a_step_after_its_due_time_marks_it_late(api, sop, clock):
    incident = open_by_api(api)["incident"]["id"]
    first = steps_of(api, incident)[1]
    clock.set(START + timedelta(minutes=7))  # due at 08:05
    answer = done(api, incident, first["id"], {"checked": [], "note": "Đã gọi lại người báo"})
    assert answer.status_code == 200, answer.content
    step = answer.json()["step"]
    assert (step["status"], step["done_at"], step["done_by"], step["late"]) == (
        "done", "2026-03-02T08:07:00+07:00", "vanhanh", True)
    assert step["note"] == "Đã gọi lại người báo"
    clock.advance(hours=5)
    assert steps_of(api, incident)[1]["late"] is True  # and stays late


def test_completing_a_step_in_time_is_not_late(api, sop, clock):
    incident = open_by_api(api)["incident"]["id"]
    second = steps_of(api, incident)[2]
    clock.set(START + timedelta(minutes=15))  # exactly its due time
    step = done(api, incident, second["id"], {"checked": [0, 2], "note": ""}).json()["step"]
    assert step["late"] is False
    assert [item["checked"] for item in step["checklist"]] == [True, False, True]
    clock.advance(days=1)
    assert steps_of(api, incident)[2]["late"] is False


def test_a_step_still_to_do_turns_late_at_its_due_time(api, sop, clock):
    incident = open_by_api(api)["incident"]["id"]
    clock.set(START + timedelta(minutes=14, seconds=59))
    assert [s["late"] for s in steps_of(api, incident).values()] == [True, False, False]
    clock.set(START + timedelta(minutes=15, seconds=1))
    assert [s["late"] for s in steps_of(api, incident).values()] == [True, True, False]


def test_a_step_is_completed_once(api, sop, clock):
    incident = open_by_api(api)["incident"]["id"]
    first = steps_of(api, incident)[1]
    assert done(api, incident, first["id"]).status_code == 200
    clock.advance(minutes=1)
    again = done(api, incident, first["id"])
    assert again.status_code == 409
    assert again.json()["description"].startswith("step:")
    assert steps_of(api, incident)[1]["done_at"] == "2026-03-02T08:00:00+07:00"  # the first completion


def test_completing_a_step_writes_the_log(api, sop, clock):
    incident = open_by_api(api)["incident"]["id"]
    second = steps_of(api, incident)[2]
    clock.advance(minutes=3)
    done(api, incident, second["id"], {"checked": [1], "note": "Điện lực đã cắt điện"})
    log = api("GET", f"incidents/{incident}/log").json()["log"]
    assert [(entry["kind"], entry["step"], entry["by"]) for entry in log] == [
        ("opened", None, "vanhanh"), ("step_done", second["id"], "vanhanh")]
    assert log[1]["at"] == "2026-03-02T08:03:00+07:00"
    assert "Điện lực đã cắt điện" in log[1]["note"] and "Báo điện lực" in log[1]["note"]


def test_the_kpi_of_steps_on_time_is_the_share_done_by_their_due_time(api, sop, as_user, client, clock):
    incident = open_by_api(api)["incident"]["id"]
    steps = steps_of(api, incident)
    clock.set(START + timedelta(minutes=10))
    done(api, incident, steps[1]["id"])  # 5 minutes late
    done(api, incident, steps[2]["id"])  # in time
    window = "2026-03-01T00:00:00%2B07:00/2026-03-03T00:00:00%2B07:00"
    answer = client.get(f"/api/stats?datetime={window}", **as_user("lanhdao"))
    assert answer.status_code == 200, answer.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT avg(CASE WHEN done_at <= due_at THEN 1.0 ELSE 0.0 END) "
                       "FILTER (WHERE done_at IS NOT NULL), count(*) FILTER (WHERE (done_at IS NULL "
                       "AND status <> 'done' AND due_at < now()) OR done_at > due_at) "
                       "FROM response_incidentstep WHERE opened_at BETWEEN %s AND %s",
                       ["2026-03-01T00:00:00+07:00", "2026-03-03T00:00:00+07:00"])
        on_time, late = cursor.fetchone()
    panel = answer.json()
    assert panel["steps_on_time"] == pytest.approx(float(on_time)) == pytest.approx(0.5)
    assert panel["steps_late"] == late
