"""Opening an incident's response instantiates its category's SOP: one step per SOP step, in order,
each due its target minutes after the opening, in the charge of its role or unit (a unit kind is the
unit of that kind serving the incident's commune), at the incident's point."""

from __future__ import annotations

from datetime import timedelta

import pytest
from response_calls import DONG_TAM, NAM_CUONG, SOP_CATEGORY, START, open_by_api

from layers.models import Incident, ResponsibleUnit

pytestmark = pytest.mark.django_db


def test_opening_from_a_category_and_a_point_creates_the_incident_and_its_steps(sop, clock):
    from response.opening import open_incident

    response = open_incident(by="vanhanh", category=SOP_CATEGORY, lon=DONG_TAM[0], lat=DONG_TAM[1],
                             title="Cột điện đổ chắn đường", severity="high")
    incident = response.incident
    assert (incident.category, incident.severity, incident.title) == (SOP_CATEGORY, "high",
                                                                       "Cột điện đổ chắn đường")
    assert incident.reported_at == START and incident.ward.name == "Yên Bái"
    assert incident.code.startswith("INC-20260302-")
    steps = list(incident.steps.order_by("number"))
    assert [(s.number, s.title_en, s.status, s.due_at - START) for s in steps] == [
        (1, "Verify the report", "todo", timedelta(minutes=5)),
        (2, "The ward committee sends someone to the site", "todo", timedelta(minutes=15)),
        (3, "The police divert traffic", "todo", timedelta(minutes=30))]
    assert [s.role for s in steps] == ["operator", "", ""]
    assert [s.unit.code if s.unit else None for s in steps] == [None, "UBND-04300", "CA"]
    assert steps[1].checklist == [{"vi": "Rào chắn khu vực", "en": "Fence off the area"},
                                  {"vi": "Báo điện lực", "en": "Call the power company"},
                                  {"vi": "Chụp ảnh hiện trường", "en": "Photograph the site"}]
    assert all(s.geom.equals_exact(incident.geom, 1e-9) and s.opened_at == START for s in steps)
    assert [s.code for s in steps] == [f"{incident.code}-{n:02d}" for n in (1, 2, 3)]
    assert response.sop == sop and response.opened_by == "vanhanh" and response.alert_id is None


def test_a_unit_kind_is_the_unit_of_that_kind_serving_the_incidents_commune(sop, clock):
    from response.opening import open_incident

    response = open_incident(by="vanhanh", category=SOP_CATEGORY, lon=NAM_CUONG[0], lat=NAM_CUONG[1],
                             title="Sạt lở taluy")
    assert response.incident.steps.get(number=2).unit == ResponsibleUnit.objects.get(code="UBND-04303")


def test_an_existing_incident_is_opened_with_the_alert_that_raised_it(sop, clock):
    from response.opening import open_incident

    incident = Incident.objects.filter(category=SOP_CATEGORY).order_by("pk").first()
    response = open_incident(by="vanhanh", incident=incident, alert=42)
    assert response.incident == incident and response.alert_id == 42
    assert incident.steps.count() == 3 and incident.steps.get(number=1).due_at == START + timedelta(minutes=5)


def test_later_edits_of_the_sop_do_not_change_steps_in_flight(sop, clock):
    from response.opening import open_incident

    response = open_incident(by="vanhanh", category=SOP_CATEGORY, lon=DONG_TAM[0], lat=DONG_TAM[1],
                             title="Vỡ ống nước")
    sop.steps.filter(number=1).update(title_en="Call back the caller", target_minutes=60)
    step = response.incident.steps.get(number=1)
    assert (step.title_en, step.due_at) == ("Verify the report", START + timedelta(minutes=5))


def test_a_category_without_an_sop_opens_with_no_steps(db, clock):
    from response.opening import open_incident

    response = open_incident(by="vanhanh", category="intrusion", lon=DONG_TAM[0], lat=DONG_TAM[1],
                             title="Xâm nhập kho")
    assert response.sop is None and response.incident.steps.count() == 0


def test_post_incidents_answers_201_with_the_incident_its_steps_and_log(api, sop, clock):
    body = open_by_api(api, alert=7, severity="critical", description="Cột điện số 12 đổ")
    incident = Incident.objects.get(pk=body["incident"]["id"])
    assert body["incident"]["code"] == incident.code
    assert body["incident"]["category"] == {"code": SOP_CATEGORY, "vi": "Sự cố hạ tầng",
                                            "en": "Infrastructure failure"}
    assert body["incident"]["severity"]["code"] == "critical"
    assert (body["incident"]["lon"], body["incident"]["lat"]) == pytest.approx(DONG_TAM)
    assert body["incident"]["description"] == "Cột điện số 12 đổ"
    assert body["response"] == {"sop": {"id": sop.pk, "category": SOP_CATEGORY,
                                        "title_vi": "Quy trình sự cố hạ tầng",
                                        "title_en": "Infrastructure failure procedure"},
                                "alert": 7, "opened_at": "2026-03-02T08:00:00+07:00", "opened_by": "vanhanh"}
    first, second, third = body["steps"]
    assert first["in_charge"] == {"vi": "Điều hành viên IOC", "en": "IOC operator"}
    assert first["role"] == {"code": "operator", "vi": "Điều hành viên IOC", "en": "IOC operator"}
    assert second["unit"]["code"] == "UBND-04300" and second["in_charge"]["vi"] == "UBND Yên Bái"
    assert third["unit"]["code"] == "CA" and third["in_charge"]["en"] == "Provincial Police"
    assert second["checklist"][0] == {"vi": "Rào chắn khu vực", "en": "Fence off the area", "checked": False}
    assert [s["due_at"] for s in body["steps"]] == ["2026-03-02T08:05:00+07:00", "2026-03-02T08:15:00+07:00",
                                                    "2026-03-02T08:30:00+07:00"]
    assert {(s["status"], s["late"], s["done_at"]) for s in body["steps"]} == {("todo", False, None)}
    assert [entry["kind"] for entry in body["log"]] == ["opened"]
    assert body["may_act"] is True


def test_an_existing_incident_is_opened_by_its_id_once(api, sop, clock):
    incident = Incident.objects.filter(category=SOP_CATEGORY).order_by("pk").first()
    answer = api("POST", "incidents", {"incident": incident.pk, "alert": 3})
    assert answer.status_code == 201, answer.content
    assert answer.json()["incident"]["id"] == incident.pk and answer.json()["response"]["alert"] == 3
    again = api("POST", "incidents", {"incident": incident.pk})
    assert again.status_code == 409
    assert again.json()["description"].startswith("incident:")


def test_get_incident_returns_what_post_returned(api, sop, clock):
    body = open_by_api(api)
    answer = api("GET", f"incidents/{body['incident']['id']}")
    assert answer.status_code == 200
    assert answer.json() == body


def test_the_list_shows_open_responses_with_their_counts(api, sop, clock):
    body = open_by_api(api)
    listed = api("GET", "incidents").json()["incidents"]
    row = next(row for row in listed if row["id"] == body["incident"]["id"])
    assert row["steps"] == {"total": 3, "done": 0, "late": 0}
    assert row["code"] == body["incident"]["code"] and row["opened_at"] == "2026-03-02T08:00:00+07:00"


def test_the_sops_are_listed_with_their_steps(api, sop):
    listed = {s["category"]["code"]: s for s in api("GET", "sops").json()["sops"]}
    steps = listed[SOP_CATEGORY]["steps"]
    assert [(s["number"], s["target_minutes"]) for s in steps] == [(1, 5), (2, 15), (3, 30)]
    assert steps[1]["unit_kind"] == {"code": "commune", "vi": "UBND phường, xã",
                                     "en": "Ward or commune people's committee"}
    assert len(steps[1]["checklist"]) == 3


def test_the_incident_opened_from_an_alert_is_found_by_the_alert(api, sop, clock):
    opened = open_by_api(api, alert=123)
    open_by_api(api, alert=124)
    listed = api("GET", "incidents", {"alert": "123"}).json()
    assert [row["id"] for row in listed["incidents"]] == [opened["incident"]["id"]] and listed["total"] == 1
    assert api("GET", "incidents", {"alert": "x"}).json()["description"].startswith("alert:")
