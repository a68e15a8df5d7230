"""The map wall as a daily tool (#20 items 5-7), in real Chromium: popups in the registry's words (labels,
dd/MM/yyyy HH:mm, ward names) with the camera's latest frame and the AI incident's evidence photo, map
controls in the page's language, counts of one kind, the legend and events over the panel they describe,
and on a phone 44 px tap targets, a folding legend and what needs acting on first."""

from __future__ import annotations

import re
from datetime import timedelta

import cv2
import numpy as np
import psycopg
import pytest
from django.conf import settings
from playwright.sync_api import Page
from wall import TIMEOUT, database_url, jump, on_demo_clock, open_wall, settle, show_view, sign_in

from democity.models import DemoCity
from layers.models import AdminUnit, Camera
from vision.evidence import SUBDIR

pytestmark = pytest.mark.django_db
DATE = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")
TAP = 44


def jpeg(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.full((48, 64, 3), 90, np.uint8)
    cv2.rectangle(image, (10, 10), (40, 30), (0, 0, 255), 2)
    path.write_bytes(cv2.imencode(".jpg", image)[1].tobytes())


def click_at(page: Page, lon: float, lat: float) -> dict:
    """Click the map at a place and return the popup's rows {field: text} and its images' loaded widths."""
    page.evaluate("document.querySelectorAll('.maplibregl-popup').forEach(p => p.remove())")
    point = page.evaluate(f"window.ioc.panels[0].map.project([{lon}, {lat}])")
    box = page.locator(".panel .map").first.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector(".maplibregl-popup table.props tr", timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('.maplibregl-popup img')]"
                           ".every(img => img.complete)", timeout=TIMEOUT)
    return page.evaluate("""() => ({
        rows: Object.fromEntries([...document.querySelectorAll('.maplibregl-popup tr[data-field]')]
          .map(tr => [tr.dataset.field, tr.querySelector('td').textContent.trim()])),
        images: [...document.querySelectorAll('.maplibregl-popup img')]
          .map(img => [img.className || img.closest('figure')?.className, img.naturalWidth])})""")


def inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 1 and inner["y"] >= outer["y"] - 1
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def test_popups_counts_and_legends_read_in_the_registry_s_words(server_url, watched):
    # a demo camera with no other beside it (the vision tests put theirs beside CAM-001)
    camera = Camera.objects.filter(code__startswith="CAM-").exclude(code="CAM-001").order_by("code").first()
    ward = AdminUnit.objects.filter(level="commune", valid_to__isnull=True).order_by("id").first()
    frames = settings.MEDIA_ROOT / SUBDIR
    snapshot = frames / f"camera-{camera.id}" / "track-readability-test.jpg"
    evidence = frames / f"camera-{camera.id}" / "incident-readability-test.jpg"
    jpeg(evidence)
    jpeg(snapshot)
    lon, lat = camera.geom.x + 0.0004, camera.geom.y + 0.0004
    at = DemoCity.current().window().end - timedelta(hours=2)
    with psycopg.connect(database_url(), autocommit=True) as conn:
        (incident_id,) = conn.execute(
            "INSERT INTO layers_incident (code, category, severity, status, title, description, source, "
            "camera_id, reported_at, geom, ward_id, created_at, updated_at, version) "
            "VALUES ('AI-READABLE-1', 'intrusion', 'medium', 'new', 'Xâm nhập vùng cấm', %s, 'camera_ai', "
            "%s, %s, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s, now(), now(), 1) RETURNING id",
            [f"Ảnh bằng chứng / evidence: /media/{evidence.relative_to(settings.MEDIA_ROOT).as_posix()}",
             camera.id, at, lon, lat, ward.id]).fetchone()
    page = watched.page
    try:
        sign_in(page, server_url, "vanhanh", "#view=security&preset=last7d")
        assert page.get_attribute(".maplibregl-ctrl-zoom-in", "title") == "Phóng to"
        # the drill-down opens the current structure: the city's children are today's wards, no districts
        children = page.eval_on_selector_all("#unit-children button",
                                             "buttons => buttons.map(b => Number(b.dataset.unit))")
        current = set(AdminUnit.objects.filter(valid_to__isnull=True).values_list("id", flat=True))
        assert children and set(children) <= current
        # the security view counts its incidents, not the stations beside them
        count = int(page.text_content("[data-count='security']").replace(".", ""))
        assert count == int(page.text_content("[data-kpi='count:incidents']").replace(".", ""))

        jump(page, lon, lat, 18)
        popup = click_at(page, lon, lat)
        rows = popup["rows"]
        assert rows["source"] == "Camera AI" and rows["ward"] == ward.name and DATE.match(rows["reported_at"])
        assert "/media/" not in rows["description"]  # the link is shown as the photo
        assert popup["images"] and all(width > 0 for _, width in popup["images"])

        show_view(page, "traffic")
        for layer in ("detections", "detection_density"):  # only the camera under the pointer
            page.evaluate(f"window.ioc.panels[0].setVisible('{layer}', false)")
        jump(page, camera.geom.x, camera.geom.y, 18)
        popup = click_at(page, camera.geom.x, camera.geom.y)
        assert popup["rows"]["status"] in ("Đang hoạt động", "Mất kết nối", "Bảo trì")
        assert popup["images"] == [["snapshot", 64]]  # the newest frame, loaded
        # the side panel follows the view: its own layers' counts come first, marked
        page.wait_for_selector("#kpi dd.in-view[data-kpi='count:cameras']")
        first = page.get_attribute("#kpi dl.counts dd[data-kpi^='count:']", "data-kpi")
        assert first in ("count:cameras", "count:detections", "count:detection_density")
        count = int(page.text_content("[data-count='traffic']").replace(".", ""))
        assert count == int(page.text_content("[data-kpi='count:detections']").replace(".", ""))

        show_view(page, "land")
        jump(page, 104.91, 21.71, 12)
        assert page.get_attribute("[data-from-zoom]", "data-from-zoom") == "14"  # parcels: drawn from 14
        jump(page, 104.91, 21.71, 15)
        assert page.locator("[data-from-zoom]").count() == 0

        page.select_option("#panel-count", "4")
        page.wait_for_function("() => window.ioc.panels.length === 4")
        settle(page)
        page.wait_for_selector("#legend section")
        first = page.locator(".panel").first.bounding_box()
        assert inside(page.locator("#legend").bounding_box(), first)
        assert inside(page.locator("#events").bounding_box(), first)
    finally:
        with psycopg.connect(database_url(), autocommit=True) as conn:
            conn.execute("DELETE FROM layers_incident WHERE id = %s", [incident_id])
        evidence.unlink(missing_ok=True)
        snapshot.unlink(missing_ok=True)
    assert watched.errors == [] and watched.outside == []


def test_the_english_wall_says_million_vnd_and_titles_its_controls_in_english(server_url, watched):
    page = watched.page
    open_wall(page, server_url, "?lang=en#view=indicators")
    page.wait_for_selector("#legend [data-legend=choropleth]")
    legend = page.text_content("#legend")
    assert "million VND" in legend and "triệu đồng" not in page.text_content("body")
    assert page.get_attribute(".maplibregl-ctrl-zoom-in", "title") == "Zoom in"


def test_on_a_phone_every_tap_target_is_44_px_the_legend_folds_and_what_needs_acting_on_comes_first(
        server_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    on_demo_clock(context)
    page = context.new_page()
    try:
        sign_in(page, server_url, "lanhdao", "#view=security&preset=last30d")
        small = page.evaluate(f"""() => [...document.querySelectorAll(
            'button, a, select, input, summary')]  // a checkbox's target: its label
            .map(el => (el.matches('[type=checkbox], [type=radio]') && el.closest('label')) || el)
            .filter(el => {{
              const box = el.getBoundingClientRect(), style = getComputedStyle(el);
              return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
                && !el.closest('.maplibregl-ctrl-attrib, [hidden]');
            }}).map(el => {{ const box = el.getBoundingClientRect();
              return [el.id || el.className || el.textContent.trim().slice(0, 20), Math.round(box.width),
                      Math.round(box.height)]; }})
              .filter(([, w, h]) => w < {TAP} || h < {TAP})""")
        assert small == [], small
        tab = page.locator("#views [aria-selected=true]").bounding_box()  # scrolled sideways into sight
        assert tab["x"] >= 0 and tab["x"] + tab["width"] <= 390, tab
        assert page.evaluate("document.querySelector('#legend details').open") is False
        page.tap("#legend summary")
        assert page.evaluate("document.querySelector('#legend details').open") is True
        order = page.eval_on_selector_all("#kpi dl.counts dd", "dds => dds.map(dd => dd.dataset.kpi)")
        assert order.index("count:incidents") < order.index("count:schools")
        overdue = [key for key in order if "overdue" in key]
        assert overdue and all(order.index(key) < order.index("count:incidents") for key in overdue)
    finally:
        context.close()


def test_at_4k_the_maps_labels_grow_with_the_controls(server_url, browser):
    context = browser.new_context(viewport={"width": 3840, "height": 2160}, locale="vi-VN")
    page = context.new_page()
    try:
        open_wall(page, server_url)
        scale = page.evaluate("parseFloat(getComputedStyle(document.documentElement)"
                              ".getPropertyValue('--ui'))")
        size = page.evaluate("window.ioc.panels[0].map.getLayoutProperty('parcels-label', 'text-size')")
        assert scale == 2 and size == 24  # 12 px at 1920×1080
    finally:
        context.close()
