"""What the leaders' views draw, through /api/hub/ (services.hub.drawn), equals plain SQL over the demo's
reports: a choropleth's units, values and classes, a ranking's order, a trend with its targets and a
comparison of two wards."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from democity.models import DemoCity
from indicators.classify import natural_breaks

pytestmark = pytest.mark.django_db
WARD, OTHER = "04300", "04306"  # phường Yên Bái, phường Văn Phú


def _sql(query: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _communes_year(code: str, year: int) -> dict[str, float]:
    """Each commune in force on 31 December of `year`: the sum of its own values of that year."""
    return dict(_sql(
        """SELECT c.code, sum(v.value) FROM indicators_indicatorvalue v
           JOIN layers_adminunit c ON c.id = v.area_id AND c.level = 'commune'
           WHERE v.indicator = %s AND v.period_start >= %s AND v.period_start < %s
             AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
           GROUP BY c.code""",
        [code, date(year, 1, 1), date(year + 1, 1, 1), date(year, 12, 31), date(year, 12, 31)],
    ))


def _ward_year(table: str, code: str, year: int, kind: str) -> float:
    """The ward's figure of a year in plain SQL: its old communes' before the reform, its own after."""
    [(total,)] = _sql(
        f"""SELECT sum(v.value) FROM {table} v
            JOIN layers_adminunit reporter ON reporter.id = v.area_id
            LEFT JOIN indicators_unitsuccession s ON s.predecessor_id = reporter.id
            LEFT JOIN layers_adminunit successor ON successor.id = s.successor_id
            WHERE v.indicator = %s AND v.period_kind = %s AND v.period_start >= %s AND v.period_start < %s
              AND (reporter.code = %s AND reporter.valid_from = '2025-07-01' OR successor.code = %s)""",
        [code, kind, date(year, 1, 1), date(year + 1, 1, 1), WARD, WARD],
    )
    return total


def test_a_choropleth_of_the_old_communes_has_sql_values_natural_breaks_and_each_unit_in_its_class(client):
    year = DemoCity.current().today.year - 2  # before the reform: the 17 communes
    expected = _communes_year("new_businesses", year)
    body = client.get("/api/hub/choropleth", {"indicator": "new_businesses", "period": str(year),
                                              "level": "commune", "method": "jenks", "classes": 4,
                                              "geometry": "1"}).json()
    drawn = {unit["code"]: unit["value"] for unit in body["units"]}
    assert drawn == pytest.approx(expected) and len(drawn) == 17
    classes = body["classes"]
    assert [c["upper"] for c in classes] == pytest.approx(natural_breaks(list(expected.values()), 4)[1:])
    assert sum(c["count"] for c in classes) == 17
    for unit in body["units"]:
        drawn_class = classes[unit["class"]]
        assert drawn_class["lower"] <= unit["value"] <= drawn_class["upper"]
        assert unit["color"] == drawn_class["color"]
    features = body["features"]["features"]
    assert {f["properties"]["code"]: f["properties"]["color"] for f in features} == {
        unit["code"]: unit["color"] for unit in body["units"]}
    assert features[0]["geometry"]["type"] == "MultiPolygon"


def test_the_ranking_puts_the_best_first_by_the_indicators_direction(client):
    year = DemoCity.current().today.year - 2
    for code, best_first in (("sipas", True), ("poor_household_rate", False)):
        expected = _communes_year(code, year)
        rows = client.get("/api/hub/ranking", {"indicator": code, "period": str(year),
                                               "level": "commune"}).json()["rows"]
        assert [row["code"] for row in rows] == sorted(expected, key=expected.get, reverse=best_first)
        assert [row["rank"] for row in rows] == list(range(1, 18))
        assert rows[0]["value"] == pytest.approx(expected[rows[0]["code"]])


def test_a_trend_draws_the_wards_years_and_targets_as_sql_across_the_reform(client):
    today = DemoCity.current().today
    years = list(range(today.year - 3, today.year))
    body = client.get("/api/hub/trend", {"indicator": "new_businesses", "unit": WARD, "period": "year",
                                         "from": str(years[0]), "to": str(years[-1])}).json()
    points = body["points"]
    assert [p["period"] for p in points] == [str(y) for y in years]
    assert [p["actual"] for p in points] == pytest.approx(
        [_ward_year("indicators_indicatorvalue", "new_businesses", y, "month") for y in years])
    assert [p["target"] for p in points] == pytest.approx(
        [_ward_year("indicators_target", "new_businesses", y, "year") for y in years])
    low, high = body["axis"]["min"], body["axis"]["max"]
    assert low <= min(p["actual"] for p in points) and max(p["target"] for p in points) <= high


def test_a_comparison_of_two_wards_gives_both_series_and_their_difference(client):
    year = DemoCity.current().today.year - 1
    asked = {"indicator": "budget_revenue", "period": "quarter", "from": f"{year}-Q1", "to": f"{year}-Q4"}
    body = client.get("/api/hub/compare", {**asked, "units": f"{WARD},{OTHER}"}).json()
    assert [unit["code"] for unit in body["units"]] == [WARD, OTHER]
    one, two = ([row["actual"] for row in client.get("/api/hub/values", {**asked, "unit": code}).json()[
        "rows"]] for code in (WARD, OTHER))
    assert [row["values"] for row in body["rows"]] == [[a, b] for a, b in zip(one, two, strict=True)]
    assert [row["difference"] for row in body["rows"]] == pytest.approx([a - b for a, b in zip(one, two,
                                                                                                  strict=True)])


def test_a_bad_method_or_a_single_unit_to_compare_is_refused_naming_the_parameter(client):
    from django.test import Client

    assert Client().get("/api/hub/ranking", {"indicator": "sipas", "period": "2024"}).status_code == 401
    refused = client.get("/api/hub/choropleth", {"indicator": "sipas", "period": "2024", "method": "equal"})
    assert refused.status_code == 400 and refused.json()["description"].startswith("method:")
    refused = client.get("/api/hub/compare", {"indicator": "sipas", "units": WARD, "from": "2025",
                                              "lang": "en"})
    assert refused.status_code == 400 and refused.json()["description"].startswith("units: two units")
