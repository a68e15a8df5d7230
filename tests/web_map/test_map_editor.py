"""Parcel editing on the map by a land official, in real Chromium against the live server."""

from __future__ import annotations

import pytest
from django.db import connection
from wall import jump, rendered_ids, screenshot, settle, sign_in

from layers.models import AdminUnit, FeatureHistory, Parcel

pytestmark = pytest.mark.django_db


def parcel_of(ward_name: str, index: int) -> Parcel:
    ward = AdminUnit.objects.get(name=ward_name, level="commune", valid_to__isnull=False)
    return Parcel.objects.filter(ward=ward).order_by("pk")[index]


def pick(page, parcel: Parcel) -> None:
    """Centre the parcel, click it, and wait for the editing form."""
    x, y = parcel.geom.point_on_surface.coords
    w, s, e, n = parcel.geom.extent
    bounds = f"[[{w}, {s}], [{e}, {n}]]"
    page.evaluate(f"window.ioc.panels[0].map.fitBounds({bounds}, {{padding: 160, duration: 0}})")
    settle(page)
    point = page.evaluate(f"window.ioc.panels[0].map.project([{x}, {y}])")
    box = page.locator(".panel .map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector("#edit-form:not([hidden])")
    assert page.text_content("#edit-form h3").startswith(f"#{parcel.pk}")


def drag_vertex(page, parcel: Parcel, towards_centre: float) -> None:
    """Drag the parcel's first vertex: 0.3 moves it 30 % of the way to the centre, -0.5 moves it
    outwards by half that distance (at most 120 px: it stays on the map)."""
    (vx, vy) = parcel.geom[0][0][0]
    (cx, cy) = parcel.geom.point_on_surface.coords
    box = page.locator(".panel .map").bounding_box()
    start = page.evaluate(f"window.ioc.panels[0].map.project([{vx}, {vy}])")
    centre = page.evaluate(f"window.ioc.panels[0].map.project([{cx}, {cy}])")
    shift = {k: (centre[k] - start[k]) * towards_centre for k in ("x", "y")}
    length = max(1.0, (shift["x"] ** 2 + shift["y"] ** 2) ** 0.5)
    end = {k: start[k] + shift[k] * min(1.0, 120 / length) for k in ("x", "y")}
    page.mouse.move(box["x"] + start["x"], box["y"] + start["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + end["x"], box["y"] + end["y"], steps=12)
    page.mouse.up()


def test_a_land_official_edits_a_parcels_shape_and_sees_it_on_the_map_and_in_its_history(server_url, watched):
    parcel = parcel_of("Đồng Tâm", 40)
    page = watched.page
    sign_in(page, server_url, "diachinh.dongtam", "#view=land")
    assert page.is_visible("#editor")
    pick(page, parcel)
    drag_vertex(page, parcel, 0.3)
    page.click("#edit-save")
    page.wait_for_selector("#edit-message.saved")
    parcel_after = Parcel.objects.get(pk=parcel.pk)
    assert parcel_after.version == parcel.version + 1
    assert not parcel_after.geom.equals_exact(parcel.geom, 1e-9)
    assert parcel_after.geom.area < parcel.geom.area  # the vertex moved inwards
    history = FeatureHistory.objects.filter(table_name="layers_parcel", feature_id=parcel.pk)
    entry = history.order_by("-pk").first()
    assert entry.actor.endswith("diachinh.dongtam") and entry.before_geom != entry.after_geom
    page.wait_for_selector(f"#edit-history li[data-version='{parcel_after.version}']")
    settle(page)
    assert parcel.pk in rendered_ids(page, "parcels")
    assert watched.errors == [] and watched.outside == []
    screenshot(page, "editor.png")


def test_an_invalid_shape_is_refused_with_the_reason_shown_in_place(server_url, watched):
    parcel = parcel_of("Đồng Tâm", 41)
    page = watched.page
    sign_in(page, server_url, "diachinh.dongtam", "#view=land")
    pick(page, parcel)
    drag_vertex(page, parcel, -0.5)  # outwards, over the neighbours
    page.click("#edit-save")
    page.wait_for_selector("#edit-message.error")
    message = page.text_content("#edit-message")  # the validator's reason: overlap or outside the ward
    assert "geometry" in message and ("overlaps" in message or "outside" in message), message
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version


def test_a_stale_second_edit_shows_the_conflict(server_url, browser):
    parcel = parcel_of("Đồng Tâm", 42)
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        sign_in(page, server_url, "diachinh.dongtam", "#view=land")
        pick(page, parcel)
        pages.append(page)
    first, second = pages
    first.fill("#edit-form [name=address]", "Số 1, đường Thử (bản thứ nhất)")
    first.click("#edit-save")
    first.wait_for_selector("#edit-message.saved")
    second.fill("#edit-form [name=address]", "Số 2, đường Thử (bản thứ hai)")
    second.click("#edit-save")
    second.wait_for_selector("#edit-message.conflict")
    assert Parcel.objects.get(pk=parcel.pk).address == "Số 1, đường Thử (bản thứ nhất)"
    second.click("#edit-reload")
    second.wait_for_function(
        "() => document.querySelector('#edit-form [name=address]').value.includes('thứ nhất')"
    )
    for page in pages:
        page.context.close()


def test_an_operator_cannot_edit_parcels(server_url, watched):
    page = watched.page
    sign_in(page, server_url, "vanhanh", "#view=land")
    assert not page.is_visible("#editor")
    parcel = parcel_of("Đồng Tâm", 43)
    status = page.evaluate(
        """async (id) => (await fetch(`/ogc/collections/parcels/items/${id}`, {method: 'PATCH',
            headers: {'Content-Type': 'application/merge-patch+json', 'If-Match': '"1"',
                      'X-CSRFToken': window.ioc.session.csrfToken},
            body: JSON.stringify({properties: {address: 'x'}})})).status""",
        parcel.pk,
    )
    assert status == 403


def a_day_after_every_edit_so_far() -> str:
    """Tomorrow on the database's clock, which stamps the history (not on this process's clock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ((clock_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1)::text")
        return cursor.fetchone()[0]


def test_the_map_as_of_a_past_date_shows_the_parcels_then(server_url, watched):
    page = watched.page
    sign_in(page, server_url, "diachinh.dongtam", "#view=land")
    parcel = parcel_of("Đồng Tâm", 44)
    jump(page, *parcel.geom.point_on_surface.coords, 16)
    page.fill("#as-of-date", a_day_after_every_edit_so_far())
    page.dispatch_event("#as-of-date", "change")
    page.wait_for_function("() => window.ioc.panels[0].map.getSource('as-of')")
    settle(page)
    shown = page.evaluate("window.ioc.panels[0].map.getSource('as-of').serialize().data.features.length")
    assert shown > 0
    assert page.evaluate("window.ioc.panels[0].map.getLayoutProperty('parcels', 'visibility')") == "none"
