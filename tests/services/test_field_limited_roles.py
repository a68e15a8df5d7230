"""Roles that may write only some fields (operators: status, responsible unit) never create, replace
or delete, and incidents and citizen reports keep a history like parcels."""

from __future__ import annotations

import json

import pytest

from layers.models import CitizenReport, Incident

pytestmark = pytest.mark.django_db
GEOJSON = "application/geo+json"



def feature(instance) -> dict:
    return {"type": "Feature", "geometry": json.loads(instance.geom.geojson),
            "properties": {"status": instance.status}}


@pytest.mark.parametrize(("collection", "model"),
                         [("incidents", Incident), ("citizen_reports", CitizenReport)])
def test_an_operator_cannot_delete_replace_or_create_an_event(client, collection, model, as_user):
    instance = model.objects.order_by("pk").first()
    url = f"/ogc/collections/{collection}/items"
    version = f'"{instance.version}"'
    deleted = client.delete(f"{url}/{instance.pk}", HTTP_IF_MATCH=version, **as_user("vanhanh"))
    replaced = client.put(f"{url}/{instance.pk}", json.dumps(feature(instance)), content_type=GEOJSON,
                          HTTP_IF_MATCH=version, **as_user("vanhanh"))
    created = client.post(url, json.dumps(feature(instance)), content_type=GEOJSON, **as_user("vanhanh"))
    assert [deleted.status_code, replaced.status_code, created.status_code] == [403, 403, 403]
    assert "vanhanh" not in deleted.json()["description"]  # says what the role may do instead
    assert "status" in deleted.json()["description"]
    assert model.objects.filter(pk=instance.pk, version=instance.version).exists()


def test_an_incident_status_change_is_in_its_history_with_who_and_before_after(client, as_user):
    incident = Incident.objects.exclude(status="in_progress").order_by("pk").first()
    url = f"/ogc/collections/incidents/items/{incident.pk}"
    changed = client.patch(url, json.dumps({"properties": {"status": "in_progress"}}), content_type=GEOJSON,
                           HTTP_IF_MATCH=f'"{incident.version}"', **as_user("vanhanh"))
    assert changed.status_code == 200, changed.content
    history = client.get(f"{url}/history", **as_user("vanhanh"))
    assert history.status_code == 200, history.content
    last = history.json()["versions"][-1]
    assert last["operation"] == "U" and last["actor"] == "user:vanhanh"
    assert last["changes"]["status"] == [incident.status, "in_progress"]


def test_a_citizen_report_keeps_its_history_from_its_creation(client, as_user):
    report = CitizenReport.objects.order_by("pk").first()
    history = client.get(f"/ogc/collections/citizen_reports/items/{report.pk}/history", **as_user("lanhdao"))
    assert history.status_code == 200, history.content
    assert history.json()["versions"][0]["operation"] == "I"


def test_an_administrator_still_deletes_an_incident_and_the_deletion_is_history(client, as_user):
    incident = Incident.objects.order_by("-pk").first()
    url = f"/ogc/collections/incidents/items/{incident.pk}"
    deleted = client.delete(url, HTTP_IF_MATCH=f'"{incident.version}"', **as_user("quantri"))
    assert deleted.status_code == 204, deleted.content
    versions = client.get(f"{url}/history", **as_user("quantri")).json()["versions"]
    assert versions[-1]["operation"] == "D" and versions[-1]["actor"] == "user:quantri"
