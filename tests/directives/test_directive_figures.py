"""The directives layer is declared once (workflow, deadline, KPIs, unit field) and its figures equal
plain SQL: the KPI panel's open, late and on-time figures (/api/stats), the per-unit summary
(/api/directives/summary) and the list's overdue filter use the one Deadline rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from directive_api import LEADER, STAFF, get
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import timezone

from directives.models import Directive
from layers.checks import layer_errors
from layers.registry import registry

pytestmark = pytest.mark.django_db
WINDOW = "2000-01-01T00:00:00Z/2100-01-01T00:00:00Z"
LATE = ("((done_at IS NULL AND status NOT IN ('done', 'cancelled') AND due_at < now())"
        " OR done_at > due_at)")
OPEN = "status IN ('issued', 'acknowledged', 'in_progress')"
UNIT_FIGURES = {"total": "TRUE", "open": OPEN, "late": LATE, "done": "status = 'done'",
                "done_on_time": "status = 'done' AND done_at <= due_at", "cancelled": "status = 'cancelled'"}
IN_CITY = ("EXISTS (SELECT 1 FROM layers_adminunit u WHERE u.level = 'commune' "
           "AND u.valid_from <= current_date AND (u.valid_to IS NULL OR u.valid_to > current_date) "
           "AND ST_Intersects(d.geom, u.geom))")


def scalar(query: str, params: tuple = ()) -> object:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


@pytest.fixture
def spread(unit_a, unit_b) -> list[Directive]:
    """Directives of both units in every state, relative to now: open, late, done on time and late."""
    leader = get_user_model().objects.get(username=LEADER)
    now = timezone.now()
    rows = []
    cases = [  # unit, status, issued days ago, due in days, done days ago
        (unit_a, "issued", 1, 2, None), (unit_a, "acknowledged", 5, -1, None),
        (unit_a, "in_progress", 6, -2, None),
        (unit_a, "done", 8, -3, 4), (unit_a, "done", 9, -1, 0.5), (unit_a, "cancelled", 4, -1, None),
        (unit_b, "in_progress", 3, 1, None), (unit_b, "done", 7, 2, 1), (unit_b, "issued", 10, -6, None),
    ]
    for n, (unit, status, issued, due, done) in enumerate(cases):
        rows.append(Directive.objects.create(
            code=f"CD-FIG-{n}", batch="CD-FIG", unit=unit, issued_by=leader, title=f"Chỉ đạo {n}",
            text="Nội dung",
            status=status, issued_at=now - timedelta(days=issued), due_at=now + timedelta(days=due),
            done_at=None if done is None else now - timedelta(days=done),
            geom=unit.geom.point_on_surface if unit.geom else Point(104.9, 21.7, srid=4326)))
    return rows


def test_the_layer_is_declared_once_and_passes_the_start_up_checks():
    layer = registry.get("directives")
    assert layer.model_class is Directive and layer.unit_field == "unit"
    assert layer.workflow.closed == ("done", "cancelled")
    assert (layer.deadline.due, layer.deadline.done) == ("due_at", "done_at")
    assert {kpi.code for kpi in layer.kpis} >= {"directives_open", "directives_late", "directives_on_time"}
    assert not layer.public and layer_errors(layer) == []


def test_the_panels_figures_equal_plain_sql(client, as_user, spread):
    panel = client.get("/api/stats", {"datetime": WINDOW}, **as_user(LEADER)).json()
    table = "directives_directive d"
    assert panel["counts"]["directives"] == scalar(f"SELECT count(*) FROM {table} WHERE {IN_CITY}")
    assert panel["directives_open"] == scalar(f"SELECT count(*) FROM {table} WHERE {IN_CITY} AND {OPEN}")
    assert panel["directives_late"] == scalar(f"SELECT count(*) FROM {table} WHERE {IN_CITY} AND {LATE}")
    on_time = scalar(f"SELECT avg(CASE WHEN done_at <= due_at THEN 1.0 ELSE 0.0 END) FROM {table} "
                     f"WHERE {IN_CITY} AND done_at IS NOT NULL")
    assert panel["directives_on_time"] == pytest.approx(float(on_time))


def test_a_units_staff_count_their_units_directives_only(client, as_user, spread, unit_a):
    panel = client.get("/api/stats", {"datetime": WINDOW}, **as_user(STAFF)).json()
    assert panel["counts"]["directives"] == scalar(
        f"SELECT count(*) FROM directives_directive d WHERE {IN_CITY} AND unit_id = %s", (unit_a.pk,))


def test_the_summary_per_unit_equals_plain_sql(client, as_user, spread, unit_a, unit_b):
    body = get(client, as_user, "summary").json()
    by_unit = {row["unit"]["id"]: row for row in body["units"]}
    for unit in (unit_a, unit_b):
        expected = {name: scalar(f"SELECT count(*) FROM directives_directive WHERE unit_id = %s AND {where}",
                                 (unit.pk,)) for name, where in UNIT_FIGURES.items()}
        assert {key: by_unit[unit.pk][key] for key in expected} == expected, unit.name
    assert sum(row["total"] for row in body["units"]) == scalar("SELECT count(*) FROM directives_directive")
    mine = get(client, as_user, "summary", user=STAFF).json()
    assert [row["unit"]["id"] for row in mine["units"]] == [unit_a.pk]


def test_the_overdue_filter_is_the_declared_rule(client, as_user, spread):
    body = get(client, as_user, overdue=1, limit=500).json()
    assert body["total"] == scalar(f"SELECT count(*) FROM directives_directive WHERE {LATE}")
    assert all(row["overdue"] for row in body["directives"])


def test_the_filters_equal_plain_sql(client, as_user, spread, unit_a):
    from layers.models import AdminUnit

    ward = AdminUnit.objects.get(pk=Directive.objects.filter(unit=unit_a, ward__isnull=False).first().ward_id)
    since = timezone.now() - timedelta(days=5, hours=12)
    checks = [
        ({"status": "issued,done"}, "status IN ('issued', 'done')", ()),
        ({"unit": unit_a.pk}, "unit_id = %s", (unit_a.pk,)),
        ({"ward": ward.pk}, "ward_id = %s", (ward.pk,)),
        ({"datetime": f"{since.isoformat()}/.."}, "issued_at >= %s", (since,)),
        ({"unit": unit_a.pk, "overdue": 1}, f"unit_id = %s AND {LATE}", (unit_a.pk,)),
    ]
    for params, where, values in checks:
        body = get(client, as_user, limit=500, **params).json()
        expected = scalar(f"SELECT count(*) FROM directives_directive WHERE {where}", values)
        assert body["total"] == expected, params
        assert len(body["directives"]) == body["total"]
