"""A leader on a phone (390×844) opens the indicators panel, switches indicator and sees the ranking, the
choropleth's classes and a trend with its target line: the numbers drawn are the API's, and plain SQL's."""

from __future__ import annotations

import psycopg
import pytest
from wall import TIMEOUT, database_url, on_demo_clock, screenshot, sign_in

from democity.models import DemoCity

pytestmark = pytest.mark.django_db
INDICATOR = "par_index"


def _api(page, path: str) -> dict:
    return page.evaluate(f"fetch('{path}').then(r => r.json())")


def _wards_own(code: str, year: int) -> dict[str, float]:
    """The values each commune-level unit in force at the end of `year` reported for it."""
    with psycopg.connect(database_url()) as conn:
        return dict(conn.execute(
            """SELECT c.code, v.value FROM indicators_indicatorvalue v
               JOIN layers_adminunit c ON c.id = v.area_id
               WHERE v.indicator = %s AND v.period_kind = 'year' AND v.period_start = make_date(%s, 1, 1)
                 AND c.level = 'commune' AND c.valid_from <= make_date(%s, 12, 31)
                 AND (c.valid_to IS NULL OR c.valid_to > make_date(%s, 12, 31))""",
            [code, year, year, year]).fetchall())


def test_a_leader_on_a_phone_switches_indicator_and_sees_the_ranking_and_a_trend_with_its_target(
        server_url, browser):
    year = DemoCity.current().today.year - 1
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    on_demo_clock(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, server_url, "lanhdao")
        page.tap("#tools [data-side=hub]")
        page.wait_for_selector("#hub .hub-ranking li", timeout=TIMEOUT)
        page.select_option("#hub-indicator", INDICATOR)
        page.wait_for_function(f"""() => document.querySelector('#hub').dataset.indicator === '{INDICATOR}'
            && document.querySelector('#hub .hub-trend circle')""", timeout=TIMEOUT)
        # the ranking, best first: the API's rows, and the wards' own reports in SQL
        drawn = page.eval_on_selector_all(
            "#hub .hub-ranking [data-unit-code]", "rs => rs.map(r => [r.dataset.unitCode, +r.dataset.value])")
        ranking = _api(page, f"/api/hub/ranking?indicator={INDICATOR}&period={year}&level=commune")
        assert drawn == [[row["code"], row["value"]] for row in ranking["rows"]]
        expected = _wards_own(INDICATOR, year)
        assert dict(drawn) == pytest.approx(expected) and len(drawn) == 4
        assert [value for _, value in drawn] == sorted(expected.values(), reverse=True)
        # the legend states the classes the map is filled with
        bounds = page.eval_on_selector_all(
            "#hub .hub-legend li", "lis => lis.map(li => [+li.dataset.lower, +li.dataset.upper])")
        choropleth = _api(page, f"/api/hub/choropleth?indicator={INDICATOR}&period={year}&level=commune")
        assert bounds == [[c["lower"], c["upper"]] for c in choropleth["classes"]]
        filled = page.evaluate("window.ioc.panels[0].map.getSource('hub-choropleth').getData()"
                               ".then(d => d.features.map(f => [f.properties.code, f.properties.color]))")
        assert sorted(filled) == sorted([u["code"], u["color"]] for u in choropleth["units"])
        # the trend of the best unit: its points and the dashed target line
        best = drawn[0][0]
        points = page.eval_on_selector_all("#hub .hub-trend circle", "cs => cs.map(c => [c.dataset.period, "
                                           "Number(c.dataset.actual), Number(c.dataset.target)])")
        trend = _api(page, f"/api/hub/trend?indicator={INDICATOR}&unit={best}&period=year"
                           f"&from={year - 3}&to={year}")
        assert points == [[p["period"], p["actual"], p["target"]] for p in trend["points"] if p["actual"]]
        assert points[-1][1] == pytest.approx(expected[best])
        target = page.get_attribute("#hub .hub-trend path.target", "d")
        assert target.count("L") == len(points) - 1 and page.is_visible("#hub .hub-trend path.target")
        assert errors == []
        screenshot(page, "leader-indicators-phone.png")  # (README)
    finally:
        context.close()
