"""Bad input is a 4xx whose message starts with the field it is about, in Vietnamese / English."""

from __future__ import annotations

import pytest
from response_calls import DONG_TAM, open_by_api

from layers.models import Incident

pytestmark = pytest.mark.django_db
GOOD = {"category": "infrastructure", "lon": DONG_TAM[0], "lat": DONG_TAM[1], "title": "Cây đổ"}


def refused(answer, field: str, status: int = 400) -> None:
    assert answer.status_code == status, answer.content
    message = answer.json()["description"]
    assert message.startswith(f"{field}:"), message
    assert " / " in message, message  # Vietnamese / English


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "earthquake"}, "category"), ({"category": None}, "category"),
    ({"lon": "east"}, "lon"), ({"lat": None}, "lat"), ({"lon": 106.7, "lat": 10.8}, "location"),
    ({"title": "  "}, "title"), ({"title": "x" * 301}, "title"), ({"severity": "huge"}, "severity"),
    ({"alert": "A-1"}, "alert"), ({"alert": -3}, "alert"), ({"description": 5}, "description"),
    ({"title": "nul\x00"}, "title")])
def test_a_bad_new_incident_names_its_field(api, sop, change, field):
    refused(api("POST", "incidents", {**GOOD, **change}), field)


def test_an_unknown_incident_id_names_incident(api, sop):
    missing = (Incident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    refused(api("POST", "incidents", {"incident": missing}), "incident")
    refused(api("POST", "incidents", {"incident": "12"}), "incident")


def test_a_body_that_is_not_a_json_object_is_refused(client, as_user, sop):
    answer = client.post("/api/response/incidents", "[1, 2]", content_type="application/json",
                         **as_user("vanhanh"))
    refused(answer, "body")


@pytest.mark.parametrize(("body", "field"), [({"checked": [5]}, "checked"), ({"checked": "0"}, "checked"),
                                             ({"checked": [True]}, "checked"), ({"note": 3}, "note")])
def test_a_bad_completion_names_its_field(api, sop, body, field):
    opened = open_by_api(api)
    step = opened["steps"][1]  # three checklist items: 0, 1, 2
    refused(api("POST", f"incidents/{opened['incident']['id']}/steps/{step['id']}/done", body), field)


def test_a_step_of_another_incident_is_a_404(api, sop):
    first, second = open_by_api(api), open_by_api(api)
    answer = api("POST", f"incidents/{first['incident']['id']}/steps/{second['steps'][0]['id']}/done", {})
    assert answer.status_code == 404
