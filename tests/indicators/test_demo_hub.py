"""The demo's figures in the hub: the 2025 successions declared from the shapes, the departments placed
under the province in force, and a merged ward's series continuous across the reform and equal to plain
SQL over its old communes' reports."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from democity.models import DemoCity
from democity.reporting import DEPARTMENTS

pytestmark = pytest.mark.django_db
WARD = "04300"  # phường Yên Bái: six old wards and a commune of the city went into it


def test_each_old_commune_went_whole_into_one_ward():
    from indicators.models import UnitSuccession
    from indicators.succession import uneven_shares

    links = UnitSuccession.objects.filter(predecessor__level="commune").select_related("successor")
    assert links.count() == 17 and {link.basis for link in links} == {"whole"} and uneven_shares() == {}
    assert sorted(link.predecessor.code for link in links if link.successor.code == WARD) == [
        "04249",
        "04250",
        "04252",
        "04253",
        "04255",
        "04261",
        "04273",
    ]


def test_a_merged_ward_has_a_monthly_series_without_gaps_across_the_reform(client):
    today = DemoCity.current().today
    first, last = date(today.year - 3, 1, 1), date(today.year, today.month, 1)
    body = client.get(
        "/api/hub/values",
        {"indicator": "new_businesses", "unit": WARD, "from": first.isoformat(), "to": last.isoformat()},
    ).json()
    rows = body["rows"][:-1]  # the month of the demo's day has not ended
    assert rows[0]["period"] == first.strftime("%Y-%m") and len(rows) == 12 * 3 + today.month - 1
    assert [row["period"] for row in rows if row["actual"] is None] == []
    assert body["rows"][-1]["actual"] is None


def _plain_sql_year(year: int) -> float:
    """The ward's year of new businesses in plain SQL: its old communes' months before the reform (whole
    shares), its own after."""
    query = """
        SELECT sum(v.value) FROM indicators_indicatorvalue v
        JOIN layers_adminunit reporter ON reporter.id = v.area_id
        LEFT JOIN indicators_unitsuccession s ON s.predecessor_id = reporter.id
        LEFT JOIN layers_adminunit successor ON successor.id = s.successor_id
        WHERE v.indicator = 'new_businesses' AND v.period_kind = 'month'
          AND v.period_start >= %s AND v.period_start < %s
          AND (reporter.code = %s AND reporter.valid_from = '2025-07-01' OR successor.code = %s)"""
    with connection.cursor() as cursor:
        cursor.execute(query, [date(year, 1, 1), date(year + 1, 1, 1), WARD, WARD])
        return cursor.fetchone()[0]


def test_the_wards_years_equal_plain_sql_and_its_quarters_have_plans(client):
    today = DemoCity.current().today
    years = [today.year - 3, today.year - 2, 2025]
    for year in years:
        [row] = client.get(
            "/api/hub/values",
            {"indicator": "new_businesses", "unit": WARD, "period": "year", "from": str(year)},
        ).json()["rows"]
        assert row["actual"] == pytest.approx(_plain_sql_year(year)) and row["actual"] > 0
        # plans: the ward's own from 2025, its old communes' before
        assert row["target"] > 0 and row["pct_of_plan"] == pytest.approx(100 * row["actual"] / row["target"])
    [q3] = client.get(
        "/api/hub/values",
        {"indicator": "budget_revenue", "unit": WARD, "period": "quarter", "from": "2025-Q3"},
    ).json()["rows"]
    assert q3["target"] > 0 and q3["last_year"] > 0 and q3["ytd"] > q3["actual"] > 0


def test_the_departments_sit_under_the_province_in_force():
    from indicators.models import AgencyPlacement

    placed = {
        (p.agency.code, p.parent.name, p.valid_from.isoformat())
        for p in AgencyPlacement.objects.select_related("agency", "parent")
    }
    assert placed == {
        (code, province, start)
        for code, _name, _name_en in DEPARTMENTS  # democity.reporting: the 14 departments
        for province, start in (("Yên Bái", "2008-08-01"), ("Lào Cai", "2025-07-01"))
    }


def test_the_provinces_poor_household_rate_is_the_communes_weighted_by_households_in_plain_sql(client):
    year = DemoCity.current().today.year - 2
    query = """
        SELECT sum(r.value * h.value) / sum(h.value) FROM indicators_indicatorvalue r
        JOIN indicators_indicatorvalue h ON h.area_id = r.area_id AND h.period_start = r.period_start
             AND h.indicator = 'households'
        JOIN layers_adminunit c ON c.id = r.area_id AND c.level = 'commune'
        WHERE r.indicator = 'poor_household_rate' AND r.period_start = %s"""
    with connection.cursor() as cursor:
        cursor.execute(query, [date(year, 1, 1)])
        expected = cursor.fetchone()[0]
    [row] = client.get("/api/hub/values", {"indicator": "poor_household_rate", "unit": "15",
                                           "from": str(year)}).json()["rows"]
    assert row["actual"] == pytest.approx(expected) and 0 < expected < 10
