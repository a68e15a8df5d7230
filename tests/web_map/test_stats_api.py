"""/api/stats: a unit's KPI panel for a window equals plain SQL counts over the same area and window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from democity.models import DemoCity
from layers.models import AdminUnit

pytestmark = pytest.mark.django_db

# The area of each case, as plain SQL conditions on a geometry expression `{g}`.
UNIT_AREA = "ST_Intersects({g}, (SELECT geom FROM layers_adminunit WHERE id = %(unit)s))"
CITY_AREA = ("EXISTS (SELECT 1 FROM layers_adminunit u WHERE u.level = 'commune' AND u.valid_to IS NULL "
             "AND ST_Intersects({g}, u.geom))")


def scalar(query: str, **params) -> object:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def rows(query: str, **params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(cursor.fetchall())


def expected(unit_id: int | None, start, end) -> dict:
    """The panel computed independently, one plain query per figure."""
    area = UNIT_AREA if unit_id else CITY_AREA
    at = {"unit": unit_id, "start": start, "end": end}
    point, polygon = area.format(g="f.geom"), area.format(g="ST_PointOnSurface(f.geom)")
    in_window = "{t} BETWEEN %(start)s AND %(end)s"
    return {
        "incidents": scalar(f"SELECT count(*) FROM layers_incident f WHERE {point} AND "
                            + in_window.format(t="reported_at"), **at),
        "citizen_reports": scalar(f"SELECT count(*) FROM layers_citizenreport f WHERE {point} AND "
                                  + in_window.format(t="received_at"), **at),
        "detections": scalar(f"SELECT count(*) FROM layers_detection f WHERE {point} AND "
                             + in_window.format(t="observed_at"), **at),
        "schools": scalar(f"SELECT count(*) FROM layers_school f WHERE {point}", **at),
        "cameras": scalar(f"SELECT count(*) FROM layers_camera f WHERE {point}", **at),
        "parcels": scalar(f"SELECT count(*) FROM layers_parcel f WHERE {polygon}", **at),
        "reports_overdue": scalar(
            f"SELECT count(*) FROM layers_citizenreport f WHERE {point} AND "
            + in_window.format(t="received_at")
            + " AND ((resolved_at IS NULL AND status NOT IN ('resolved', 'rejected') AND due_at < now())"
              " OR resolved_at > due_at)", **at),
        "incidents_by_severity": rows(
            f"SELECT severity, count(*) FROM layers_incident f WHERE {point} AND "
            + in_window.format(t="reported_at") + " GROUP BY 1", **at),
        "detections_by_class": rows(
            f"SELECT object_class, count(*) FROM layers_detection f WHERE {point} AND "
            + in_window.format(t="observed_at") + " GROUP BY 1", **at),
        "parcel_area": rows(f"SELECT land_use, sum(area_m2) FROM layers_parcel f "
                            f"WHERE {polygon} GROUP BY 1", **at),
        "lodging_guests": scalar(
            "SELECT coalesce(sum(value), 0) FROM layers_observation WHERE layer = 'lodging' "
            "AND metric = 'guests' AND observed_at BETWEEN %(start)s AND %(end)s AND feature_id IN "
            f"(SELECT f.id FROM layers_lodging f WHERE {point})", **at),
    }


def window(days: int) -> tuple:
    """The demo's last `days` days, whatever the date: its events end where its 'today' begins."""
    last = DemoCity.current().window(days)
    return last.start, last.end


def stats(client, **params) -> dict:
    response = client.get("/api/stats", params)
    assert response.status_code == 200, response.content
    return response.json()


def operator_client(client):
    client.force_login(get_user_model().objects.get(username="vanhanh"))
    return client


def unit_id(case: str) -> int | None:
    return {
        "Đồng Tâm": lambda: AdminUnit.objects.get(name="Đồng Tâm", level="commune").pk,
        "district": lambda: AdminUnit.objects.get(level="district", code="132").pk,
        "city": lambda: None,
    }[case]()


@pytest.mark.parametrize("days", [7, 90])
@pytest.mark.parametrize("case", ["Đồng Tâm", "district", "city"])
def test_the_panel_equals_plain_sql_counts_for_the_unit_and_window(client, case, days):
    unit, (start, end) = unit_id(case), window(days)
    params = {"datetime": f"{start.isoformat()}/{end.isoformat()}"}
    if unit:
        params["unit"] = unit
    panel = stats(operator_client(client), **params)
    sql = expected(unit, start, end)

    assert panel["window"] == {"start": start.isoformat(), "end": end.isoformat()}
    assert (panel["unit"] or {}).get("id") == unit
    for layer in ("incidents", "citizen_reports", "detections", "schools", "cameras", "parcels"):
        assert panel["counts"][layer] == sql[layer], layer
    assert panel["counts"]["incidents"] > 0 and panel["counts"]["detections"] > 0
    assert panel["reports_overdue"] == sql["reports_overdue"]
    assert panel["incidents_by_severity"] == {s: sql["incidents_by_severity"].get(s, 0)
                                              for s in ("low", "medium", "high", "critical")}
    assert {k: v for k, v in panel["detections_by_class"].items() if v} == sql["detections_by_class"]
    assert {row["code"]: row["value"] for row in panel["parcel_area_by_land_use"]} == pytest.approx(
        sql["parcel_area"], abs=0.1)  # m², rounded to 1 decimal
    assert sum(row["count"] for row in panel["parcel_area_by_land_use"]) == sql["parcels"]
    assert panel["lodging_guests"] == sql["lodging_guests"]


def test_the_district_and_the_city_hold_what_their_communes_hold(client):
    start, end = window(30)
    params = {"datetime": f"{start.isoformat()}/{end.isoformat()}"}
    district = stats(client, unit=unit_id("district"), **params)["counts"]
    city = stats(client, **params)["counts"]
    communes = AdminUnit.objects.filter(level="commune", valid_to__isnull=False).values_list("pk", flat=True)
    summed = [stats(client, unit=pk, **params)["counts"] for pk in communes]
    for layer in ("incidents", "citizen_reports", "parcels", "schools"):
        assert district[layer] == city[layer] == sum(counts[layer] for counts in summed), layer


def test_the_anonymous_viewer_gets_no_restricted_layer_figures(client):
    panel = stats(client, unit=unit_id("Đồng Tâm"))
    assert "detections" not in panel["counts"] and "detections_by_class" not in panel
    assert "incidents" in panel["counts"]  # public layer, restricted fields only


def test_an_operator_gets_detections_per_class(client):
    start, end = window(30)
    panel = stats(operator_client(client), unit=unit_id("Đồng Tâm"),
                  datetime=f"{start.isoformat()}/{end.isoformat()}")
    assert set(panel["detections_by_class"]) == {"person", "bicycle", "motorbike", "car", "bus", "truck"}
    assert sum(panel["detections_by_class"].values()) == panel["counts"]["detections"] > 0


def test_without_a_window_the_last_30_days_are_counted(client):
    panel = stats(client)
    start, end = (timezone.datetime.fromisoformat(panel["window"][k]) for k in ("start", "end"))
    assert end - start == timedelta(days=30)
    assert abs((end - timezone.now()).total_seconds()) < 60


def test_the_indicator_sums_counts_and_averages_rates_over_the_communes_of_the_unit(client):
    district = unit_id("district")
    communes = list(AdminUnit.objects.filter(parent_id=district).values_list("pk", flat=True))
    month = DemoCity.current().indicator_months()[-3]
    for code, aggregate in (("new_businesses", "sum"), ("poor_households_pct", "avg")):
        indicator = stats(client, unit=district, indicator=code, month=month)["indicator"]
        value = scalar(
            f"SELECT {aggregate}(value) FROM layers_observation WHERE layer = 'wards' AND metric = %(code)s "
            "AND to_char(observed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') = %(month)s "
            "AND feature_id = ANY(%(communes)s)", code=code, month=month, communes=communes)
        assert (indicator["code"], indicator["month"], indicator["aggregate"]) == (code, month, aggregate)
        assert indicator["value"] == pytest.approx(value)
        assert value is not None


def test_the_indicator_of_one_commune_is_its_own_value(client):
    dong_tam = unit_id("Đồng Tâm")
    month = DemoCity.current().indicator_months()[-3]
    indicator = stats(client, unit=dong_tam, indicator="budget_revenue", month=month)["indicator"]
    value = scalar("SELECT value FROM layers_observation WHERE layer = 'wards' AND metric = 'budget_revenue' "
                   "AND feature_id = %(unit)s AND observed_at = %(start)s", unit=dong_tam,
                   start=f"{month}-01T00:00:00+07:00")
    assert indicator["value"] == pytest.approx(value)


@pytest.mark.parametrize(("params", "message"), [
    ({"unit": "abc"}, "unit: 'abc' is not a unit id"),
    ({"unit": "999999"}, "no administrative unit with id 999999"),
    ({"datetime": "yesterday"}, "datetime: 'yesterday' is not a date"),
    ({"datetime": "2026-11-24/2026-11-01"}, "ends before it starts"),
    ({"indicator": "happiness"}, "'happiness' is not a metric of layer 'wards'"),
    ({"month": "2026-13"}, "month: '2026-13' is not a month; use YYYY-MM"),
    ({"month": "September"}, "month: 'September' is not a month"),
])
def test_bad_parameters_get_400_with_a_message(client, params, message):
    response = client.get("/api/stats", {**params, "lang": "en"})  # the messages in English
    assert response.status_code == 400
    assert message in response.json()["description"]


@pytest.mark.parametrize("case", ["Đồng Tâm", "city"])
def test_the_leaders_feedback_figures_equal_plain_sql(client, case):
    """Received, resolved on time (share of those resolved), median handling time (hours from
    receipt to resolution), reopened, and received by category, over the window and area."""
    unit, (start, end) = unit_id(case), window(90)
    params = {"datetime": f"{start.isoformat()}/{end.isoformat()}", **({"unit": unit} if unit else {})}
    panel = stats(operator_client(client), **params)
    point = ("ST_Intersects(f.geom, (SELECT geom FROM layers_adminunit WHERE id = %(unit)s))" if unit else
             "ST_Intersects(f.geom, (SELECT ST_Union(geom) FROM layers_adminunit WHERE level = 'commune' "
             "AND valid_from <= current_date AND (valid_to IS NULL OR valid_to > current_date)))")
    at = {"unit": unit, "start": start, "end": end}
    base = f"FROM layers_citizenreport f WHERE {point} AND f.received_at BETWEEN %(start)s AND %(end)s"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT avg(CASE WHEN resolved_at <= due_at THEN 1.0 ELSE 0.0 END) FILTER (WHERE resolved_at "
            "IS NOT NULL), percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - "
            f"received_at) / 3600) FILTER (WHERE resolved_at IS NOT NULL), sum(reopened) {base}", at)
        on_time, median, reopened = cursor.fetchone()
        cursor.execute(f"SELECT category, count(*) {base} GROUP BY 1", at)
        by_category = dict(cursor.fetchall())
    assert panel["reports_on_time"] == pytest.approx(float(on_time), abs=1e-9) and 0 < on_time < 1
    assert panel["reports_median_hours"] == pytest.approx(float(median), abs=1e-6) and median > 0
    assert panel["reports_reopened"] == (reopened or 0)
    assert {k: v for k, v in panel["reports_by_category"].items() if v} == by_category


def test_the_average_citizen_rating_equals_plain_sql(client):
    from layers.models import CitizenReport

    start, end = window(90)
    rated = list(CitizenReport.objects.filter(status="resolved", received_at__gte=start, received_at__lte=end)
                 .order_by("pk").values_list("pk", flat=True)[:40])
    for n, pk in enumerate(rated):
        CitizenReport.objects.filter(pk=pk).update(rating=1 + n % 5)
    panel = stats(operator_client(client), datetime=f"{start.isoformat()}/{end.isoformat()}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT avg(rating) FROM layers_citizenreport WHERE received_at BETWEEN %s AND %s",
                       [start, end])
        (expected,) = cursor.fetchone()
    assert panel["reports_rating"] == pytest.approx(float(expected)) and expected == 3
