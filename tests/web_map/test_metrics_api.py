"""/api/indicators (ward choropleth) and /api/metrics/<layer>/<metric> equal plain SQL aggregates."""

from __future__ import annotations

import pytest
from django.db import connection

from democity.models import DemoCity

pytestmark = pytest.mark.django_db


def plain(query: str, **params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {str(key): value for key, value in cursor.fetchall()}


def body(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("code", ["budget_revenue", "poor_households_pct"])
def test_the_ward_choropleth_gives_each_communes_value_for_the_month(client, code):
    months = DemoCity.current().indicator_months()  # the 24 months before the demo's own month
    month = months[-3]
    answer = body(client, "/api/indicators", indicator=code, month=month)
    assert answer["indicator"]["code"] == code and answer["indicator"]["month"] == month
    assert answer["months"][0] == months[0] and month in answer["months"]
    expected = plain(
        "SELECT feature_id, value FROM layers_observation WHERE layer = 'wards' AND metric = %(code)s "
        "AND observed_at = %(start)s", code=code, start=f"{month}-01T00:00:00+07:00")
    assert {str(row["unit_id"]): row["value"] for row in answer["values"]} == expected
    assert len(expected) == 17
    dong_tam = next(row for row in answer["values"] if row["name"] == "Đồng Tâm")
    assert dong_tam["code"] == "04255"


def test_without_parameters_the_first_indicator_and_its_last_month_are_shown(client):
    answer = body(client, "/api/indicators")
    assert answer["indicator"]["code"] == "budget_revenue"
    assert answer["indicator"]["month"] == answer["months"][-1]
    assert len(answer["values"]) == 17


@pytest.mark.parametrize(("layer", "metric", "aggregate"), [
    ("lodging", "guests", "sum"),
    ("service_points", "dossiers_received", "sum"),
    ("env_stations", "aqi", "avg"),
])
def test_a_metric_per_feature_is_combined_over_the_window_by_its_aggregate(client, layer, metric, aggregate):
    last_week = DemoCity.current().window(7)  # the demo's last 7 days, whatever the date
    start, end = last_week.start, last_week.end
    answer = body(client, f"/api/metrics/{layer}/{metric}", datetime=f"{start.isoformat()}/{end.isoformat()}")
    assert answer["metric"]["code"] == metric and answer["metric"]["aggregate"] == aggregate
    expected = plain(
        f"SELECT feature_id, {aggregate}(value) FROM layers_observation WHERE layer = %(layer)s "
        "AND metric = %(metric)s AND observed_at BETWEEN %(start)s AND %(end)s GROUP BY 1",
        layer=layer, metric=metric, start=start, end=end)
    assert expected and answer["values"] == pytest.approx(expected)


@pytest.mark.parametrize(("url", "status", "message"), [
    ("/api/indicators?indicator=happiness", 400, "'happiness' is not a metric of layer 'wards'"),
    ("/api/indicators?month=2026-9x", 400, "month: '2026-9x' is not a month"),
    ("/api/metrics/lodging/aqi", 400, "'aqi' is not a metric of layer 'lodging'; its metrics: guests"),
    ("/api/metrics/lodging/guests?datetime=soon", 400, "datetime: 'soon' is not a date"),
    ("/api/metrics/hotels/guests", 404, "unknown layer 'hotels'"),
])
def test_bad_parameters_get_an_error_with_a_message(client, url, status, message):
    response = client.get(url + ("&" if "?" in url else "?") + "lang=en")  # the messages in English
    assert response.status_code == status
    assert message in response.json()["description"]
