"""/api/trend: a layer's declared figures per ISO week (Monday 00:00 in Vietnam to the next Monday) for
a unit or the city; each weekly value equals plain SQL over the same week and area. The weeks are
taken from the demo's own dates (or fixed ones), never from today's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection

from democity.models import DemoCity
from layers.models import AdminUnit, CitizenReport
from spatial.access import Viewer

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT_AREA = "ST_Intersects(f.geom, (SELECT geom FROM layers_adminunit WHERE id = %(unit)s))"
CITY_AREA = ("EXISTS (SELECT 1 FROM layers_adminunit u WHERE u.level = 'commune' AND u.valid_to IS NULL "
             "AND ST_Intersects(f.geom, u.geom))")
FIGURES = (
    "count(*)",
    "count(*) FILTER (WHERE (resolved_at IS NULL AND status NOT IN ('resolved', 'rejected') "
    "AND due_at < now()) OR resolved_at > due_at)",
    "avg(CASE WHEN resolved_at <= due_at THEN 1.0 ELSE 0.0 END) FILTER (WHERE resolved_at IS NOT NULL)",
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - received_at) / 3600) "
    "FILTER (WHERE resolved_at IS NOT NULL)",
    "coalesce(sum(reopened), 0)",
    "avg(rating)",
)
SERIES = ("count", "reports_overdue", "reports_on_time", "reports_median_hours", "reports_reopened",
          "reports_rating")


def trend(client, as_user, user: str = "lanhdao", **params):
    return client.get("/api/trend", {"layer": "citizen_reports", **params}, **as_user(user))


def week_of_sql(unit_id: int | None, monday: date) -> tuple[dict, dict]:
    """The week's figures by plain SQL: {series: value} and the count by category."""
    start = datetime.combine(monday, datetime.min.time(), VN)
    at = {"unit": unit_id, "start": start, "end": start + timedelta(days=7)}
    where = (f"FROM layers_citizenreport f WHERE {UNIT_AREA if unit_id else CITY_AREA} "
             "AND received_at >= %(start)s AND received_at < %(end)s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(FIGURES)} {where}", at)
        values = dict(zip(SERIES, cursor.fetchone(), strict=True))
        cursor.execute(f"SELECT category, count(*) {where} GROUP BY 1", at)
        return values, dict(cursor.fetchall())


def close(value, expected) -> bool:
    return value is None if expected is None else value == pytest.approx(float(expected), abs=1e-9)


@pytest.mark.parametrize("area", ["ward", "city"])
def test_each_weekly_figure_equals_plain_sql_over_the_same_week(client, as_user, area):
    last_day = DemoCity.current().today - timedelta(days=1)  # the demo's last day of events
    rated = CitizenReport.objects.filter(status="resolved").order_by("pk").values_list("pk", flat=True)[::7]
    for n, pk in enumerate(rated):  # the demo has no ratings of its own
        CitizenReport.objects.filter(pk=pk).update(rating=1 + n % 5)
    unit = AdminUnit.objects.get(name="Đồng Tâm", level="commune").pk if area == "ward" else None
    answer = trend(client, as_user, unit=unit or "", weeks=12, until=last_day.isoformat())
    assert answer.status_code == 200, answer.content
    body = answer.json()
    mondays = [date.fromisoformat(week["start"]) for week in body["weeks"]]
    assert len(mondays) == 12 and all(monday.isoweekday() == 1 for monday in mondays)
    assert mondays[-1] <= last_day < mondays[-1] + timedelta(days=7)
    assert [b - a for a, b in zip(mondays, mondays[1:], strict=False)] == [timedelta(days=7)] * 11
    assert body["weeks"][-1]["week"] == "{}-W{:02d}".format(*last_day.isocalendar()[:2])
    series = body["series"]
    assert set(series) == {*SERIES, "reports_by_category"}
    for index, monday in enumerate(mondays):
        values, by_category = week_of_sql(unit, monday)
        for name in SERIES:
            assert close(series[name][index], values[name]), (name, monday)
        assert {k: n for k, n in series["reports_by_category"][index].items() if n} == by_category
    assert sum(series["count"]) > 0 and any(v is not None for v in series["reports_rating"])


def test_a_week_runs_from_monday_0000_in_vietnam_to_the_next_monday(client, as_user):
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    template = CitizenReport.objects.filter(ward=ward).order_by("pk").first()
    sunday_night, monday = datetime(2020, 6, 7, 23, 59, 59, tzinfo=VN), datetime(2020, 6, 8, tzinfo=VN)
    for n, moment in enumerate((sunday_night, monday, monday)):
        template.pk, template.id, template._state.adding = None, None, True
        template.code, template.received_at = f"TREND-{n}", moment
        template.due_at = moment + timedelta(days=3)
        # new and open, whatever the copied demo report (made relative to today) had become
        template.status, template.resolved_at = "received", None
        template.save()
    body = trend(client, as_user, unit=ward.pk, weeks=3, until="2020-06-10").json()
    assert [week["week"] for week in body["weeks"]] == ["2020-W22", "2020-W23", "2020-W24"]
    assert [week["start"] for week in body["weeks"]] == ["2020-05-25", "2020-06-01", "2020-06-08"]
    assert [week["end"] for week in body["weeks"]] == ["2020-05-31", "2020-06-07", "2020-06-14"]
    assert body["series"]["count"] == [0, 1, 2]
    assert body["series"]["reports_on_time"] == [None, None, None]  # a share of nothing: no data


def test_one_kpi_may_be_asked_for(client, as_user):
    body = trend(client, as_user, kpi="reports_overdue", weeks=4, until="2026-01-15").json()
    assert set(body["series"]) == {"reports_overdue"} and len(body["series"]["reports_overdue"]) == 4
    assert body["kpis"] == [{"code": "reports_overdue", "vi": "Phản ánh quá hạn", "en": "Overdue reports",
                             "kind": "overdue", "unit": "", "scale": 1.0, "by": None}]


def test_figures_over_fields_the_viewer_cannot_read_are_left_out(client, as_user, monkeypatch):
    readable = Viewer.readable_fields
    monkeypatch.setattr(Viewer, "readable_fields",
                        lambda self, layer: tuple(f for f in readable(self, layer) if f != "rating"))
    body = trend(client, as_user, weeks=2, until="2026-01-15").json()
    assert "reports_rating" not in body["series"] and "reports_on_time" in body["series"]
    assert "reports_rating" not in {kpi["code"] for kpi in body["kpis"]}


def test_unit_staff_count_their_units_reports_only(client, as_user):
    last_day = DemoCity.current().today - timedelta(days=1)
    body = trend(client, as_user, user="xuly.namcuong", weeks=6, until=last_day.isoformat()).json()
    units = list(Viewer.of(User.objects.get(username="xuly.namcuong")).unit_ids)
    expected = []
    for week in body["weeks"]:
        start = datetime.combine(date.fromisoformat(week["start"]), datetime.min.time(), VN)
        expected.append(CitizenReport.objects.filter(unit__in=units, received_at__gte=start,
                                                     received_at__lt=start + timedelta(days=7)).count())
    assert body["series"]["count"] == expected and sum(expected) > 0
    assert sum(expected) < sum(trend(client, as_user, weeks=6, until=last_day.isoformat()).json()
                               ["series"]["count"])


def test_who_may_not_read_the_layer_gets_401_or_403(client, as_user):
    assert client.get("/api/trend", {"layer": "detections"}).status_code == 401
    assert trend(client, as_user, user="diachinh.dongtam", layer="detections").status_code == 403
    assert client.get("/api/trend", {"layer": "citizen_reports"}).status_code == 200  # a public layer


@pytest.mark.parametrize(("params", "field"), [
    ({"weeks": "0"}, "weeks"), ({"weeks": "53"}, "weeks"), ({"weeks": "x"}, "weeks"),
    ({"until": "2026-13-01"}, "until"), ({"kpi": "nothing"}, "kpi"), ({"unit": "abc"}, "unit"),
    ({"kpi": "incidents_by_severity"}, "kpi"), ({"layer": ""}, "layer"),
])
def test_bad_parameters_get_400_naming_the_field(client, as_user, params, field):
    answer = trend(client, as_user, **params)
    assert answer.status_code == 400, answer.content
    assert answer.json()["description"].startswith(f"{field}:")


def test_an_unknown_layer_is_404(client, as_user):
    assert trend(client, as_user, layer="nothing").status_code == 404
