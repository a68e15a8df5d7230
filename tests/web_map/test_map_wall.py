"""The map wall in real headless Chromium against the live server: views, time, drill-down, live.

Every figure the page shows is compared with SQL run here on the same database.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

import psycopg
import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from wall import (
    database_url,
    insert_incident,
    jump,
    kpi,
    open_wall,
    rendered_ids,
    screenshot,
    settle,
    show_view,
    sign_in,
)

from democity.models import DemoCity
from layers.models import AdminUnit, Camera, Incident, Parcel
from layers.vocabularies import SEVERITY

pytestmark = pytest.mark.django_db


def scalar(query: str, *params: object) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def incidents_in(unit_id: int | None, start: str, end: str) -> int:
    area = "AND ST_Intersects(i.geom, (SELECT geom FROM layers_adminunit WHERE id = %s))" if unit_id else ""
    return scalar(
        f"SELECT count(*) FROM layers_incident i WHERE i.reported_at BETWEEN %s AND %s {area}",
        start, end, *([unit_id] if unit_id else []),
    )


def reports_in(unit_id: int, start: str, end: str) -> int:
    return scalar(
        "SELECT count(*) FROM layers_citizenreport r WHERE r.received_at BETWEEN %s AND %s "
        "AND ST_Intersects(r.geom, (SELECT geom FROM layers_adminunit WHERE id = %s))", start, end, unit_id,
    )


def parcels_in(unit_id: int) -> int:
    return scalar(
        "SELECT count(*) FROM layers_parcel p WHERE "
        "ST_Intersects(ST_PointOnSurface(p.geom), (SELECT geom FROM layers_adminunit WHERE id = %s))",
        unit_id,
    )


def stats_window(page) -> tuple[str, str]:
    start, end = page.evaluate("document.body.dataset.statsWindow").split("/")
    return start, end


def test_the_wall_loads_with_no_console_error_and_no_request_leaving_the_machine(server_url, watched):
    open_wall(watched.page, server_url)
    assert watched.errors == [] and watched.outside == []
    views = watched.page.evaluate("window.ioc.config.views.map(v => v.code)")
    assert {"land", "planning", "education", "health", "tourism", "feedback", "security", "traffic",
            "environment", "public_services", "indicators"} <= set(views)


@pytest.mark.parametrize(
    ("view", "layer", "zoom"),
    [("land", "parcels", 15), ("planning", "zoning", 13), ("planning", "buildings", 16),
     ("education", "schools", 12.5),
     ("health", "health_facilities", 12.5), ("tourism", "lodging", 12.5),
     ("feedback", "citizen_reports", 12.5),
     ("security", "incidents", 12.5), ("environment", "env_stations", 12.5),
     ("public_services", "service_points", 12.5), ("indicators", "wards-choropleth", 12.5)],
)
def test_each_view_draws_its_features(server_url, watched, view, layer, zoom):
    page = watched.page
    open_wall(page, server_url)
    show_view(page, view)
    centre = AdminUnit.objects.get(name="Đồng Tâm", level="commune").geom.extent
    jump(page, (centre[0] + centre[2]) / 2, (centre[1] + centre[3]) / 2, zoom)
    page.wait_for_timeout(300)
    assert rendered_ids(page, layer), f"view {view}: no {layer} feature drawn"
    title = page.text_content(".panel-title")
    assert int(page.text_content(f"[data-count='{view}']").replace(".", "")) > 0, title
    assert page.locator("#legend section").count() >= 1
    assert watched.errors == [] and watched.outside == []


def test_the_camera_view_shows_cameras_with_fields_of_view_and_detections(server_url, watched):
    page = watched.page
    sign_in(page, server_url, "vanhanh")
    show_view(page, "traffic")
    camera = Camera.objects.order_by("pk").first()
    jump(page, camera.geom.x, camera.geom.y, 15)
    assert camera.pk in rendered_ids(page, "cameras")
    cones = page.evaluate(
        "window.ioc.panels[0].map.getSource('camera-cones').serialize().data.features.length"
    )
    assert cones == Camera.objects.count()
    assert rendered_ids(page, "camera-cones")
    assert "detections" in page.evaluate("window.ioc.panels[0].view.layers")
    assert watched.errors == [] and watched.outside == []


def test_changing_the_time_window_changes_tile_and_statistics_requests_and_counts(server_url, watched):
    page = watched.page
    open_wall(page, server_url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(unquote(request.url)))
    before = kpi(page, "count:incidents")
    start, end = stats_window(page)
    assert before == incidents_in(None, start, end)
    page.click("[data-preset='last7d']")
    page.wait_for_function(f"() => document.body.dataset.statsWindow !== '{start}/{end}'")
    settle(page)
    start7, end7 = stats_window(page)
    assert (datetime.fromisoformat(end7) - datetime.fromisoformat(start7)).days == 7
    after = kpi(page, "count:incidents")
    assert after == incidents_in(None, start7, end7) and after < before
    window = f"datetime={start7}/{end7}"
    assert any("/api/stats" in url and window in url for url in requested)
    assert any("incidents" in url.split("/tiles/")[-1].split("/")[0].split(",") and window in url
               for url in requested if "/tiles/" in url)
    # the view counts its events in the window, not the stations beside them (#20 item 7)
    assert int(page.text_content("[data-count='security']").replace(".", "")) == after
    assert "preset=last7d" in page.url


def test_drill_down_by_typing_dong_tam_shows_that_wards_figures(server_url, watched):
    page = watched.page
    open_wall(page, server_url)
    page.fill("#unit-search", "dong tam")
    page.click("#unit-results button")
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune")
    page.wait_for_function(f"() => document.querySelector('[data-kpi=unit]').textContent === '{ward.name}'")
    settle(page)
    start, end = stats_window(page)
    assert kpi(page, "count:incidents") == incidents_in(ward.pk, start, end)
    assert kpi(page, "count:citizen_reports") == reports_in(ward.pk, start, end)
    assert kpi(page, "count:parcels") == parcels_in(ward.pk)
    crumbs = page.locator("#breadcrumbs button").all_text_contents()
    # whole city › province › district › ward
    assert crumbs[-1].strip().startswith("Đồng Tâm") and len(crumbs) == 4
    assert f"unit={ward.pk}" in page.url
    opacity = page.evaluate("window.ioc.panels[0].map.getPaintProperty('units-fade', 'fill-opacity')")
    assert opacity[0] == "case"  # the other wards fade
    screenshot(page, "drill-down.png")
    page.click("#breadcrumbs button[data-unit=city]")
    page.wait_for_function("() => document.querySelector('[data-kpi=unit]').textContent !== 'Đồng Tâm'")
    assert "unit=" not in page.url


def test_a_shared_address_restores_view_window_and_ward(server_url, watched):
    ward = AdminUnit.objects.get(name="Hồng Hà", level="commune")
    page = watched.page
    open_wall(page, server_url, f"#view=feedback&preset=last90d&unit={ward.pk}")
    assert page.evaluate("window.ioc.panels[0].viewCode") == "feedback"
    assert page.text_content("[data-kpi=unit]") == "Hồng Hà"
    start, end = stats_window(page)
    assert (datetime.fromisoformat(end) - datetime.fromisoformat(start)).days == 90
    assert kpi(page, "count:citizen_reports") == reports_in(ward.pk, start, end)


def test_a_new_incident_appears_on_an_open_page_within_two_seconds(server_url, watched):
    page = watched.page
    open_wall(page, server_url)
    page.wait_for_function("() => document.querySelector('#live-status').className === 'on'", timeout=10_000)
    with psycopg.connect(database_url(), autocommit=True) as conn:
        incident_id = insert_incident(conn, "LIVE-TEST-1", "Trộm cắp xe máy (thử)", "high", 104.905, 21.69)
        try:
            item = f"#ticker-list [data-layer=incidents][data-id='{incident_id}']"
            page.wait_for_selector(item, timeout=2_000)
            live = page.evaluate("window.ioc.panels[0].map.getSource('live-events').serialize().data.features"
                                 ".map(f => f.id)")
            assert incident_id in live
        finally:
            conn.execute("DELETE FROM layers_incident WHERE id = %s", [incident_id])


def test_the_map_wall_shows_four_synchronised_panels(server_url, watched):
    page = watched.page
    page.set_viewport_size({"width": 1600, "height": 900})
    panels = "panels=4:security,feedback,traffic,indicators"
    sign_in(page, server_url, "vanhanh", f"#view=security&preset=last30d&{panels}")
    assert page.locator(".panel").count() == 4
    views = page.evaluate("window.ioc.panels.map(p => p.viewCode)")
    assert views == ["security", "feedback", "traffic", "indicators"]
    jump(page, 104.9035, 21.6925, 13.8)
    zooms = page.evaluate("window.ioc.panels.map(p => Math.round(p.map.getZoom() * 10))")
    assert zooms == [138] * 4
    for panel, layer in enumerate(["incidents", "citizen_reports", "cameras", "wards-choropleth"]):
        assert rendered_ids(page, layer, panel), f"panel {panel}: no {layer}"
    page.wait_for_function("() => document.querySelector('#live-status').className === 'on'", timeout=10_000)
    events = [("WALL-1", "Va chạm giao thông tại nút Nguyễn Thái Học", "medium", 104.9012, 21.6941),
              ("WALL-2", "Cháy nhỏ tại chợ Yên Bái", "critical", 104.9071, 21.6902),
              ("WALL-3", "Tụ tập gây mất trật tự", "low", 104.8985, 21.6893)]
    with psycopg.connect(database_url(), autocommit=True) as conn:
        ids = [insert_incident(conn, *event) for event in events]
        try:
            page.wait_for_function("() => document.querySelectorAll('#ticker-list li').length >= 3")
            settle(page)
            assert watched.errors == [] and watched.outside == []
            screenshot(page, "map-wall-4-panels.png")
        finally:
            conn.execute("DELETE FROM layers_incident WHERE id = ANY(%s)", [ids])


def test_the_phone_layout_puts_the_figures_under_the_map(server_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune")
    open_wall(page, server_url, f"#view=security&preset=last30d&unit={ward.pk}")
    map_box = page.locator("#panels").bounding_box()
    kpi_box = page.locator("#area").bounding_box()
    assert kpi_box["y"] >= map_box["y"] + map_box["height"] - 1 and map_box["width"] >= 380
    assert page.is_visible("[data-kpi='count:incidents']")
    screenshot(page, "phone.png")
    context.close()


def test_the_base_map_draws_parcels_and_vietnamese_ward_names(server_url, watched):
    parcel = Parcel.objects.order_by("pk")[100]
    page = watched.page
    open_wall(page, server_url, "#view=land")
    jump(page, *parcel.geom.point_on_surface.coords, 16)
    assert parcel.pk in rendered_ids(page, "parcels")
    jump(page, 104.905, 21.69, 13)
    names = page.evaluate("window.ioc.panels[0].map.queryRenderedFeatures({layers: ['wards-label']})"
                          ".map(f => f.properties.name)")
    # the current structure (post-2025 wards) is drawn by default (#20 item 7)
    here = AdminUnit.objects.get(level="commune", valid_to__isnull=True, geom__contains=Point(104.905, 21.69))
    assert here.name in names


def test_clicking_a_feature_opens_a_popup_with_labelled_fields_in_the_pages_language(server_url, watched):
    demo = DemoCity.current().window()  # the wall runs on the demo's clock: one of its incidents
    incident = Incident.objects.filter(reported_at__gte=demo.start, reported_at__lt=demo.end) \
        .order_by("-reported_at").first()
    page = watched.page
    for lang, label, severity in (("vi", "Mức độ", "vi"), ("en", "Severity", "en")):
        open_wall(page, server_url, f"?lang={lang}#view=security&preset=last90d")
        jump(page, incident.geom.x, incident.geom.y, 17)
        point = page.evaluate(f"window.ioc.panels[0].map.project([{incident.geom.x}, {incident.geom.y}])")
        box = page.locator(".panel .map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        popup = page.wait_for_selector(".maplibregl-popup")
        text = popup.text_content()
        assert f"#{incident.pk}" in text and label in text and incident.title in text
        term = next(t for t in SEVERITY.terms if t.code == incident.severity)
        assert getattr(term, severity) in text  # the code shown in words


def test_play_steps_the_window_through_the_last_90_days_by_hour(server_url, watched):
    page = watched.page
    open_wall(page, server_url)
    page.select_option("#time-step", "hour")
    page.click("#time-play")
    page.wait_for_function("() => { const [a, b] = document.body.dataset.statsWindow.split('/');"
                           " return Date.parse(b) - Date.parse(a) === 3600e3; }")
    first = stats_window(page)
    page.wait_for_function(f"() => document.body.dataset.statsWindow !== '{first[0]}/{first[1]}'")
    page.click("#time-play")  # pause, then let the last step's figures arrive
    page.wait_for_timeout(1500)
    second = stats_window(page)
    assert datetime.fromisoformat(second[0]) > datetime.fromisoformat(first[0])
    assert kpi(page, "count:incidents") == incidents_in(None, *second)
    assert "preset=" not in page.url and "window=" in page.url
