"""The demo's seed indices (issue #22 item 5): each has figures for the province last year and plans where
declared; a PAR Index is the sum of its 8 areas and a headcount the sum of its grades, in plain SQL."""

from __future__ import annotations

import pytest
from django.db import connection

from democity.models import DemoCity

pytestmark = pytest.mark.django_db
SEED_INDICES = (
    "staff_headcount", "staff_grade_senior", "staff_grade_clerk", "par_index", "par_impact", "sipas", "dti",
    "dti_economy", "budget_revenue", "budget_spending", "new_businesses", "poor_household_rate",
    "tourist_arrivals",
)


def test_every_seed_index_has_the_provinces_figure_last_year_and_its_plan_where_declared(client):
    from indicators.registry import registry

    year = DemoCity.current().today.year - 1
    for code in SEED_INDICES:
        [row] = client.get("/api/hub/values", {"indicator": code, "unit": "15", "period": "year",
                                               "from": str(year)}).json()["rows"]
        assert row["actual"] is not None and row["actual"] > 0, code
        assert (row["target"] is not None) == registry.get(code).targets, code
    [par] = client.get("/api/hub/values", {"indicator": "par_index", "unit": "15", "from": str(year)}).json()[
        "rows"]
    assert 80 < par["actual"] < 100


def test_a_par_index_is_the_sum_of_its_areas_and_a_headcount_the_sum_of_its_grades():
    query = """
        SELECT whole.value, sum(part.value) FROM indicators_indicatorvalue whole
        JOIN indicators_indicatorvalue part ON part.indicator LIKE %s AND part.indicator <> whole.indicator
          AND part.area_id IS NOT DISTINCT FROM whole.area_id
          AND part.agency_id IS NOT DISTINCT FROM whole.agency_id AND part.period_start = whole.period_start
        WHERE whole.indicator = %s GROUP BY whole.id, whole.value"""
    with connection.cursor() as cursor:
        for whole, parts in (("par_index", r"par\_%"), ("staff_headcount", r"staff\_grade\_%")):
            cursor.execute(query, [parts, whole])
            rows = cursor.fetchall()
            assert len(rows) >= 40, whole
            assert all(total == pytest.approx(found, abs=0.011) for total, found in rows), whole
