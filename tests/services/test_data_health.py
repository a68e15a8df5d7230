"""Data health ("Sống"): a layer with a cadence is late once its cadence and a quarter more have passed
since its last update (its rows' own time, or an import that confirmed it even without changes); the
API and the page say which layers are late, with the last import's validity figures and the history;
an import that loads confirms the layer. Times are the test's own clock (frozen), never a date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from etl.models import ImportReport
from etl.report import Report
from layers.freshness import freshness
from layers.models import LayerRefresh
from layers.registry import CADENCES, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() frozen at `clock.now` (set by the test)."""
    class Clock:
        now = timezone.now()

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def last_update(layer_id: str):
    return freshness(registry.get(layer_id)).last_update


def test_a_layer_is_late_after_its_cadence_and_a_quarter_more(clock):
    schools = registry.get("schools")
    last = last_update("schools")
    year = CADENCES[schools.cadence]
    assert freshness(schools).due_by == last + year * 1.25
    assert not freshness(schools).late(last + year * 1.25)
    assert freshness(schools).late(last + year * 1.25 + timedelta(seconds=1))


def test_an_import_that_changed_nothing_still_confirms_the_layer(clock):
    schools = registry.get("schools")
    later = last_update("schools") + timedelta(days=500)  # late by then
    assert freshness(schools).late(later)
    report = Report(layer="schools", source="/tmp/harvest/truong_hoc.gpkg", mode="upsert", started_at=later,
                    status="loaded", rows_read=120, rows_loaded=0)
    report.counts = {"inserted": 0, "updated": 0, "unchanged": 120, "refused": 0}
    report.store()
    assert LayerRefresh.objects.get(layer="schools").refreshed_at == later
    assert not freshness(schools).late(later + timedelta(days=1))


def test_a_dry_run_or_a_failed_import_confirms_nothing():
    before = last_update("lodging")
    for status in ("dry_run", "failed"):
        report = Report(layer="lodging", source="x.csv", mode="upsert", started_at=before + timedelta(days=1),
                        status=status)
        report.store()
    assert last_update("lodging") == before


def test_the_api_and_the_page_say_which_layers_are_late(client, as_user, clock):
    clock.now = last_update("incidents") + timedelta(days=2)  # daily: late after 30 h
    ImportReport.objects.create(layer="incidents", source="/srv/in/su_co.csv", mode="append", status="loaded",
                                rows_read=200, rows_loaded=190, rows_rejected=10, started_at=clock.now,
                                counts={"inserted": 190, "refused": 10})
    answer = client.get("/api/data-health", **as_user("vanhanh"))
    assert answer.status_code == 200
    layers = {row["id"]: row for row in answer.json()["layers"]}
    incidents = layers["incidents"]
    assert incidents["late"] is True and incidents["cadence_vi"] == "Hằng ngày"
    assert incidents["last_import"]["source"] == "su_co.csv"  # the file's name, never a server path
    assert incidents["last_import"]["valid_share"] == 0.95
    assert layers["parcels"]["late"] is False  # monthly, loaded two days ago
    assert "detections" in layers  # a restricted layer the operator reads
    others = client.get("/api/data-health", **as_user("gis")).json()["layers"]
    assert "detections" not in {row["id"] for row in others}  # and a GIS user does not
    late_first = [row["late"] for row in answer.json()["layers"]]
    assert late_first == sorted(late_first, reverse=True)

    page = client.get("/suc-khoe-du-lieu/", **as_user("vanhanh")).content.decode()
    assert 'data-layer="incidents" data-late="true"' in page and "trễ hạn" in page
    assert "hợp lệ 95%" in page
    assert "late" in client.get("/suc-khoe-du-lieu/?lang=en", **as_user("vanhanh")).content.decode()


def test_anonymous_viewers_are_asked_to_sign_in(client):
    assert client.get("/api/data-health").status_code == 401
    assert client.get("/suc-khoe-du-lieu/").status_code == 401


def test_a_cadence_that_is_not_known_is_an_error():
    import dataclasses

    from layers.checks import layer_errors

    errors = layer_errors(dataclasses.replace(registry.get("schools"), cadence="fortnightly"))
    assert [error.id for error in errors] == ["layers.E017"]
