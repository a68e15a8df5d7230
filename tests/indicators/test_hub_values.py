"""GET /api/hub/values against a hand-written table of expected figures of the test province (hub_data):
sum, mean, weighted mean and latest, up the unit tree, by date, across the 2025 reform (merged and split
communes), with targets, % of plan, the same period last year and the year to date."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# (indicator, unit, period kind, period, {field: expected}); worked out by hand in the comments
EXPECTED = [
    # new_businesses: a sum, monthly; N1 (T101) = A + B + 0.6 C, N2 (T102) = 0.4 C + E before the reform
    ("new_businesses", "T101", "month", "2024-01", {"actual": 9}),  # 1 + 2 + 0.6·10
    ("new_businesses", "T102", "month", "2024-01", {"actual": 8}),  # 0.4·10 + 4
    ("new_businesses", "T15", "month", "2024-01", {"actual": 17}),  # the old province: 1 + 2 + 10 + 4
    ("new_businesses", "T132", "month", "2024-02", {"actual": 8}),  # a district: 3 + 0 + 5
    ("new_businesses", "T101", "quarter", "2024-Q1", {"actual": 15}),  # 9 + (3 + 0 + 0.6·5)
    (
        "new_businesses",
        "T101",
        "year",
        "2025",
        {
            "actual": 14,
            "last_year": 15,  # (2 + 2 + 0.6·5) + 7
            "change_pct": -100 / 15,
        },
    ),
    ("new_businesses", "T102", "year", "2025", {"actual": 7}),  # (0.4·5 + 2) + 3
    (
        "new_businesses",
        "T15",
        "year",
        "2025",
        {
            "actual": 21,
            "target": 30,
            "pct_of_plan": 70,  # 11 + 10
            "last_year": 26,
        },
    ),  # 17 + 9
    ("new_businesses", "T101", "month", "2025-07", {"actual": 7, "ytd": 14, "last_year": None}),
    ("new_businesses", "T101", "month", "2025-08", {"actual": None, "ytd": 14}),  # not the ended A's 100
    (
        "new_businesses",
        "T101",
        "year",
        "2026",
        {"actual": 4, "target": 20, "pct_of_plan": 20, "last_year": 14},
    ),
    # a plan is the unit's own or its predecessors', never its children's
    ("new_businesses", "T15", "year", "2026", {"actual": 10, "target": None, "pct_of_plan": None}),
    # budget_revenue: a sum, quarterly; the old province's own figure wins over its communes'
    ("budget_revenue", "T15", "quarter", "2024-Q1", {"actual": 1000}),
    ("budget_revenue", "T132", "quarter", "2024-Q1", {"actual": 350}),  # 100 + 200 + 50
    ("budget_revenue", "T101", "quarter", "2024-Q1", {"actual": 330}),  # 100 + 200 + 0.6·50
    (
        "budget_revenue",
        "T101",
        "year",
        "2024",
        {
            "actual": 330,
            "target": 700,  # 400 + 0.6·500
            "pct_of_plan": 33000 / 700,
        },
    ),
    ("budget_revenue", "T102", "year", "2024", {"actual": 100, "target": 200, "pct_of_plan": 50}),
    ("budget_revenue", "T101", "quarter", "2025-Q1", {"actual": 356, "last_year": 330, "ytd": 356}),
    (
        "budget_revenue",
        "T101",
        "quarter",
        "2025-Q3",
        {"actual": 500, "target": 400, "pct_of_plan": 125, "ytd": 1238},
    ),  # 356 + 382 + 500
    (
        "budget_revenue",
        "T101",
        "year",
        "2025",
        {"actual": 1238, "target": 1600, "pct_of_plan": 77.375, "last_year": 330},
    ),
    (
        "budget_revenue",
        "T102",
        "quarter",
        "2025-Q3",
        {"actual": 200, "target": 250, "pct_of_plan": 80, "ytd": 442},
    ),  # (0.4·60 + 90) + (0.4·70 + 100) + 200
    (
        "budget_revenue",
        "T15",
        "year",
        "2025",
        {"actual": 1680, "last_year": 1000, "target": None, "pct_of_plan": None},
    ),  # 470 + 510 + 700
    # poor_household_rate: weighted by households of the same unit and year
    (
        "poor_household_rate",
        "T101",
        "year",
        "2024",
        {"actual": 7600 / 520},
    ),  # (100·10 + 300·20 + 0.6·200·5) / 520
    ("poor_household_rate", "T102", "year", "2024", {"actual": 3400 / 180}),  # (0.4·200·5 + 100·30) / 180
    ("poor_household_rate", "T15", "year", "2024", {"actual": 11000 / 700}),
    (
        "poor_household_rate",
        "T15",
        "year",
        "2025",
        {
            "actual": 9480 / 700,  # (12·520 + 18·180) / 700
            "last_year": 11000 / 700,
        },
    ),
    ("poor_household_rate", "T101", "year", "2025", {"actual": 12, "target": 13, "pct_of_plan": 1200 / 13}),
    # households: latest (a stock), summed across units
    ("households", "T101", "year", "2024", {"actual": 520}),  # 100 + 300 + 0.6·200
    ("households", "T15", "year", "2024", {"actual": 700}),
    ("households", "T15", "year", "2025", {"actual": 700, "last_year": 700}),
    # sipas: a mean of the units' values (a split unit counts by its share)
    ("sipas", "T101", "year", "2024", {"actual": 212 / 2.6}),  # (80 + 90 + 0.6·70) / 2.6
    ("sipas", "T102", "year", "2024", {"actual": 88 / 1.4}),  # (0.4·70 + 60) / 1.4
    ("sipas", "T15", "year", "2024", {"actual": 75}),  # (80 + 90 + 70 + 60) / 4
    ("sipas", "T15", "year", "2025", {"actual": 85, "last_year": 75}),  # the new province's own figure
    # staff_headcount: latest, monthly; the agency TSTC sits under the province in force
    ("staff_headcount", "TSTC", "quarter", "2025-Q2", {"actual": 52}),
    ("staff_headcount", "TSTC", "quarter", "2025-Q3", {"actual": 56}),
    ("staff_headcount", "T15", "quarter", "2025-Q2", {"actual": 62}),  # June: A 10 + TSTC 52
    ("staff_headcount", "T15", "month", "2025-07", {"actual": 74}),  # N2 19 + TSTC 55
    ("staff_headcount", "T15", "quarter", "2025-Q3", {"actual": 106}),  # August: 30 + 20 + 56
    ("staff_headcount", "T15", "year", "2025", {"actual": 106, "ytd": 106}),
]


def _get(client, **params):
    return client.get("/api/hub/values", params)


@pytest.mark.parametrize(
    ("indicator", "unit", "kind", "period", "expected"),
    EXPECTED,
    ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in EXPECTED],
)
def test_the_api_gives_the_hand_worked_figure(hub_units, client, indicator, unit, kind, period, expected):
    response = _get(client, indicator=indicator, unit=unit, period=kind, **{"from": period})
    assert response.status_code == 200, response.content
    [row] = response.json()["rows"]
    assert row["period"] == period
    got = {field: row[field] for field in expected}
    assert got == {
        field: None if value is None else pytest.approx(value) for field, value in expected.items()
    }


def test_a_merged_commune_has_a_continuous_monthly_series_across_the_reform(hub_units, client):
    body = _get(
        client, indicator="new_businesses", unit="T101", **{"from": "2024-01", "to": "2026-01"}
    ).json()
    assert body["unit"]["name"] == "Phường N1" and body["period"] == "month"
    series = {row["period"]: row["actual"] for row in body["rows"]}
    assert len(series) == 25
    assert {period: value for period, value in series.items() if value is not None} == pytest.approx(
        {"2024-01": 9, "2024-02": 6, "2025-01": 7, "2025-07": 7, "2026-01": 4}
    )
    # the province in force gives the same total as its two new communes, before and after the reform
    province = _get(
        client, indicator="new_businesses", unit="T15", period="year", **{"from": "2024", "to": "2026"}
    )
    totals = [row["actual"] for row in province.json()["rows"]]
    parts = [
        [
            row["actual"]
            for row in _get(
                client, indicator="new_businesses", unit=code, period="year", **{"from": "2024", "to": "2026"}
            ).json()["rows"]
        ]
        for code in ("T101", "T102")
    ]
    assert totals == pytest.approx([26, 21, 10])
    assert totals == pytest.approx([a + b for a, b in zip(*parts, strict=True)])


def test_the_split_commune_is_shared_by_area(hub_units):
    from indicators.models import UnitSuccession

    shares = {
        (s.predecessor.code, s.successor.code): (round(s.share, 6), s.basis)
        for s in UnitSuccession.objects.filter(source="test").select_related("predecessor", "successor")
    }
    assert shares == {
        ("T001", "T101"): (1.0, "whole"),
        ("T002", "T101"): (1.0, "whole"),
        ("T003", "T101"): (0.6, "area"),
        ("T003", "T102"): (0.4, "area"),
        ("T004", "T102"): (1.0, "whole"),
        ("T15", "T15"): (1.0, "whole"),
    }


def _test_units(client, day: str) -> list[tuple]:
    rows = client.get("/api/hub/units", {"on": day}).json()["units"]
    return [
        (r["kind"], r["code"], r["level"], r["parent"])
        for r in rows
        if r["code"].startswith("T") and r["code"] != "TTPVHCC"
    ]


def test_the_unit_tree_by_date(hub_units, client):
    assert _test_units(client, "2025-06-30") == [
        ("area", "T15", "province", None),
        ("area", "T132", "district", "T15"),
        ("area", "T133", "district", "T15"),
        ("area", "T001", "commune", "T132"),
        ("area", "T002", "commune", "T132"),
        ("area", "T003", "commune", "T132"),
        ("area", "T004", "commune", "T133"),
        ("agency", "TSTC", "agency", "T15"),
    ]
    assert _test_units(client, "2025-07-01") == [
        ("area", "T15", "province", None),
        ("area", "T101", "commune", "T15"),
        ("area", "T102", "commune", "T15"),
        ("agency", "TSTC", "agency", "T15"),
    ]
    names = {r["code"]: r["name"] for r in client.get("/api/hub/units", {"on": "2025-07-01"}).json()["units"]}
    assert names["T15"] == "Tỉnh Mới" and names["04300"] == "Yên Bái"
    refused = client.get("/api/hub/units", {"on": "mai", "lang": "en"})
    assert refused.status_code == 400 and refused.json()["description"] == "on: 'mai' is no date (YYYY-MM-DD)"
