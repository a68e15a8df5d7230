"""The KPI panel's weekly trend lines in real headless Chromium: one sparkline per figure of the area,
drawn from /api/trend for the window's last week, following the drill-down, in the page's language."""

from __future__ import annotations

import json
from datetime import date

import pytest
from wall import TIMEOUT, open_wall, settle

from layers.models import AdminUnit
from layers.registry import registry
from spatial.access import ANONYMOUS
from web_map.admin_units import unit_by_id
from web_map.trend import layer_trend, weeks_until

pytestmark = pytest.mark.django_db
WEEKS = 12


def lines(page) -> dict[str, list]:
    """Each sparkline of the panel: its series as the page drew it."""
    page.wait_for_selector("#kpi-trend li[data-trend]", timeout=TIMEOUT)
    return {item.get_attribute("data-trend"): json.loads(item.get_attribute("data-values"))
            for item in page.locator("#kpi-trend li[data-trend]").all()}


def expected(unit_id: int | None, until: str) -> dict[str, list]:
    """What /api/trend gives an anonymous viewer, computed here, for every layer with a single-number
    figure: those figures, and the count of the layers the time control narrows."""
    unit = unit_by_id(str(unit_id)) if unit_id else None
    found = {}
    for layer in registry:
        if not ANONYMOUS.can_read(layer) or all(kpi.by for kpi in layer.kpis):
            continue
        answer = layer_trend(ANONYMOUS, layer, unit, weeks_until(date.fromisoformat(until), WEEKS))
        found |= {kpi["code"]: answer["series"][kpi["code"]] for kpi in answer["kpis"] if not kpi["by"]}
        if layer.in_time_window:
            found[f"count:{layer.id}"] = answer["series"]["count"]
    return found


def test_the_panel_draws_a_sparkline_per_figure_from_the_weekly_trend(server_url, watched):
    page = watched.page
    open_wall(page, server_url, "#preset=last7d")
    drawn = lines(page)
    until = page.get_attribute("#kpi-trend", "data-until")
    assert drawn == expected(None, until)
    assert len(drawn["count:citizen_reports"]) == WEEKS and sum(drawn["count:citizen_reports"]) > 0
    path = page.get_attribute("#kpi-trend li[data-trend='count:citizen_reports'] path", "d")
    assert path.startswith("M") and path.count("L") == WEEKS - 1  # a point per week, none missing
    assert page.text_content("#kpi-trend h3") == f"Xu hướng {WEEKS} tuần"

    page.fill("#unit-search", "dong tam")
    page.click("#unit-results button")
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune")
    page.wait_for_function(f"() => document.querySelector('[data-kpi=unit]').textContent === '{ward.name}'")
    settle(page)
    want = expected(ward.pk, until)["count:citizen_reports"]
    drawn_js = "document.querySelector(\"#kpi-trend li[data-trend='count:citizen_reports']\")?.dataset.values"
    page.wait_for_function(f"(want) => ({drawn_js}) === JSON.stringify(want)", arg=want, timeout=TIMEOUT)
    assert lines(page) == expected(ward.pk, until)
    assert watched.errors == [] and watched.outside == []


def test_the_trend_speaks_english_with_lang_en(server_url, watched):
    page = watched.page
    page.goto(f"{server_url}/?lang=en")
    page.wait_for_selector("#kpi-trend li[data-trend]", timeout=TIMEOUT)
    assert page.text_content("#kpi-trend h3") == f"{WEEKS}-week trend"
    title = page.text_content("#kpi-trend li[data-trend='reports_on_time'] svg title")
    assert title.startswith("Week ") and len(title.splitlines()) == WEEKS
