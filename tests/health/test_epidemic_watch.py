"""The epidemic watch: cases per commune per day, whose counts from 1 to 4 anonymous users get as "< 5" on
every path (OGC items, vector tiles, the KPI panel), while signed-in readers get the real figures; the
7-day sum and incidence are what SQL gives; the layers are OGC collections; an alert rule reads the series.

Two test communes on 20 November 2026, disease COVID-19 (the demo's outbreak is dengue):
A: 1, 0, 3 new cases on the 18th, 19th, 20th → on the 20th 3 new, 4 in 7 days (both hidden);
B: 4, 6, 7 → on the 20th 7 new, 17 in 7 days (shown); on the 18th 4 new, 4 in 7 days (hidden).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import mapbox_vector_tile
import pytest
from django.db import connection

from health.models import EpidemicDay
from health.series import derive, publish_incidence
from layers.models import AdminUnit, Observation
from spatial.params import LOCAL_TZ
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)
WHOLE_DAY = "2026-11-20T00:00:00+07:00/2026-11-20T23:59:59+07:00"
CASES = {"A": (1, 0, 3), "B": (4, 6, 7)}  # new cases on the 18th, 19th and 20th


@pytest.fixture(autouse=True)
def tile_cache(settings, tmp_path):
    settings.TILE_CACHE_DIR = tmp_path / "tiles"


@pytest.fixture
def communes(db) -> dict[str, AdminUnit]:
    """Two communes in force on DAY with a population (the smallest and the largest)."""
    found = list(AdminUnit.objects.valid_on(DAY).communes().filter(population__gt=0).order_by("population"))
    return {"A": found[0], "B": found[-1]}


@pytest.fixture
def days(communes) -> dict[tuple[str, date], EpidemicDay]:
    """The two communes' rows, their 7-day figures derived (the demo's outbreak set aside in the test's
    transaction: its days may be these)."""
    EpidemicDay.objects.all().delete()
    Observation.objects.filter(layer="epidemic_cases").delete()
    rows = {}
    for name, cases in CASES.items():
        unit = communes[name]
        for n, new in enumerate(cases):
            day = DAY - timedelta(days=2 - n)
            rows[name, day] = EpidemicDay.objects.create(
                commune=unit, commune_name=unit.name, disease="covid19", day=day, new_cases=new,
                geom=unit.geom)
    derive(DAY - timedelta(days=2))
    return rows


def incidence(cases: int, unit: AdminUnit) -> float:
    return round(cases * 100_000 / unit.population, 1)


def items(client, headers: dict | None = None, datetime: str = WHOLE_DAY) -> dict[int, dict]:
    response = client.get("/ogc/collections/epidemic_cases/items",
                          {"f": "json", "disease": "covid19", "datetime": datetime, "limit": 100},
                          **(headers or {}))
    assert response.status_code == 200, response.content[:300]
    return {feature["id"]: feature["properties"] for feature in response.json()["features"]}


def test_the_watch_layers_are_ogc_collections(client):
    response = client.get("/ogc/collections", {"f": "json"})
    ids = {collection["id"] for collection in response.json()["collections"]}
    assert {"epidemic_cases", "isolation_sites", "vaccination_sites"} <= ids


def test_the_seven_day_sum_and_incidence_equal_sql(days):
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT e.id, (SELECT sum(p.new_cases) FROM health_epidemicday p WHERE p.commune_id = e.commune_id
                          AND p.disease = e.disease AND p.day BETWEEN e.day - 6 AND e.day),
                   u.population
            FROM health_epidemicday e JOIN layers_adminunit u ON u.id = e.commune_id
            WHERE e.disease = 'covid19'""")
        expected = {pk: (total, round(float(total) * 100_000 / population, 1))
                    for pk, total, population in cursor}
    stored = dict(EpidemicDay.objects.filter(disease="covid19").values_list("pk", "cases_7d"))
    assert stored == {pk: total for pk, (total, _) in expected.items()}
    rates = dict(EpidemicDay.objects.filter(disease="covid19").values_list("pk", "incidence_7d"))
    assert rates == {pk: rate for pk, (_, rate) in expected.items()}
    assert days["B", DAY].__class__.objects.get(pk=days["B", DAY].pk).cases_7d == 17


def test_anonymous_ogc_items_show_counts_under_5_as_less_than_5(client, days, communes):
    found = items(client)
    a, b = found[days["A", DAY].pk], found[days["B", DAY].pk]
    assert (a["new_cases"], a["cases_7d"], a["incidence_7d"]) == ("< 5", "< 5", None)
    assert a["incidence_band"] == "few"
    assert (b["new_cases"], b["cases_7d"], b["incidence_7d"]) == (7, 17, incidence(17, communes["B"]))
    earlier = items(client, datetime="2026-11-18T00:00:00+07:00/2026-11-18T23:59:59+07:00")
    assert earlier[days["B", DAY - timedelta(days=2)].pk]["new_cases"] == "< 5"
    assert client.get(f"/ogc/collections/epidemic_cases/items/{days['A', DAY].pk}",
                      {"f": "json"}).json()["properties"]["new_cases"] == "< 5"


@pytest.mark.parametrize("user", ["vanhanh", "lanhdao", "gis"])
def test_signed_in_readers_get_the_real_counts_in_ogc_items(client, as_user, days, communes, user):
    a = items(client, as_user(user))[days["A", DAY].pk]
    assert (a["new_cases"], a["cases_7d"], a["incidence_7d"]) == (3, 4, incidence(4, communes["A"]))


def test_anonymous_cannot_filter_or_sort_on_a_hidden_count(client, days, as_user):
    for params in ({"new_cases": "3"}, {"sortby": "cases_7d"}, {"filter": "new_cases = 3"}):
        response = client.get("/ogc/collections/epidemic_cases/items", {"f": "json", **params})
        assert response.status_code == 400, params
        assert "< 5" in response.json()["description"]
    assert len(items(client, as_user("vanhanh"), datetime=WHOLE_DAY)) == 2


def tile_features(client, unit: AdminUnit, headers: dict | None = None) -> dict[int, dict]:
    point = unit.geom.point_on_surface
    tile = next(tiles_covering((point.x, point.y, point.x, point.y), 14))
    response = client.get(f"/tiles/epidemic_cases/{tile.z}/{tile.x}/{tile.y}.pbf", {"datetime": WHOLE_DAY},
                          **(headers or {}))
    assert response.status_code == 200, response.content[:300]
    decoded = mapbox_vector_tile.decode(response.content)
    return {feature["id"]: feature["properties"] for feature in decoded["epidemic_cases"]["features"]}


def test_anonymous_tiles_show_counts_under_5_as_less_than_5(client, days, communes):
    a = tile_features(client, communes["A"])[days["A", DAY].pk]
    assert (a["new_cases"], a["cases_7d"], a["incidence_band"]) == ("< 5", "< 5", "few")
    assert "incidence_7d" not in a  # null: a rate would give the count back
    b = tile_features(client, communes["B"])[days["B", DAY].pk]
    assert (b["new_cases"], b["cases_7d"], b["incidence_7d"]) == (7, 17, incidence(17, communes["B"]))


def test_signed_in_tiles_hold_the_real_counts(client, as_user, days, communes):
    tile_features(client, communes["A"])  # the anonymous variant is cached first: it must not be served
    a = tile_features(client, communes["A"], as_user("vanhanh"))[days["A", DAY].pk]
    assert (a["new_cases"], a["cases_7d"], a["incidence_7d"]) == (3, 4, incidence(4, communes["A"]))


def stats(client, unit: AdminUnit | None, headers: dict | None = None) -> dict:
    where = {"unit": unit.pk} if unit else {}
    response = client.get("/api/stats", {**where, "datetime": WHOLE_DAY}, **(headers or {}))
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_anonymous_stats_show_sums_under_5_as_less_than_5(client, as_user, days, communes):
    assert stats(client, communes["A"])["epidemic_new_cases"] == "< 5"
    assert stats(client, communes["A"], as_user("lanhdao"))["epidemic_new_cases"] == 3
    assert stats(client, communes["B"], as_user("lanhdao"))["epidemic_new_cases"] == 7


def test_a_hidden_count_cannot_be_had_back_by_subtracting_shown_sums(client, as_user, days, communes):
    """The city's 10 new cases less commune B's 7 would give commune A's hidden 3: anonymous users get
    sums of 5 and more rounded to the nearest 5 (as statistics offices publish), so the difference
    leaves A anywhere from 1 to 7."""
    leader = as_user("lanhdao")
    assert (stats(client, None, leader)["epidemic_new_cases"], stats(client, communes["B"], leader)
            ["epidemic_new_cases"]) == (10, 7)
    city, b = stats(client, None)["epidemic_new_cases"], stats(client, communes["B"])["epidemic_new_cases"]
    assert (city, b) == (10, 5)
    assert city - b != 3


def test_the_trend_of_new_cases_hides_weeks_under_5_from_anonymous(client, as_user, days, communes):
    params = {"layer": "epidemic_cases", "kpi": "epidemic_new_cases", "unit": communes["A"].pk,
              "weeks": 1, "until": DAY.isoformat()}
    anonymous = client.get("/api/trend", params).json()["series"]["epidemic_new_cases"]
    leader = client.get("/api/trend", params, **as_user("lanhdao")).json()["series"]["epidemic_new_cases"]
    assert (anonymous, leader) == (["< 5"], [4])


def test_an_alert_rule_over_the_7_day_incidence_finds_the_commune_above_it(days, communes):
    from alerts.evaluate import evaluate_rule
    from alerts.models import AlertRule

    publish_incidence()
    rule = AlertRule(code="test-incidence", name="Tỷ lệ mắc 7 ngày cao", name_en="High 7-day incidence",
                     kind="threshold", layer="epidemic_cases", metric="incidence_7d", comparison="gt",
                     threshold=incidence(17, communes["B"]) - 1, readings=1, window_minutes=24 * 60,
                     severity="Moderate", category="Health")
    rule.full_clean()
    rule.save()
    noon = datetime.combine(DAY, datetime.min.time(), LOCAL_TZ) + timedelta(hours=12)
    evaluate_rule(rule, noon, quiet=True)
    assert list(rule.alerts.values_list("subject", flat=True)) == [f"feature:{days['B', DAY].pk}"]


def test_the_watch_is_in_the_health_view_only(client):
    views = {view["code"]: view["layers"] for view in client.get("/api/layers").json()["views"]}
    assert {"epidemic_cases", "isolation_sites", "vaccination_sites"} <= set(views["health"])
    assert "epidemic_cases" not in views["indicators"]


def test_the_data_health_page_dates_the_watch_by_when_its_figures_changed(client, as_user, days):
    response = client.get("/api/data-health", **as_user("vanhanh"))
    assert response.status_code == 200, response.content[:300]
    found = {layer["id"]: layer for layer in response.json()["layers"]}
    assert found["epidemic_cases"]["rows_changed_at"] is not None
