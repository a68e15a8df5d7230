"""Parcel editing on the map by a land official, in real Chromium against the live server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import shapely
from django.contrib.gis.geos import Polygon
from django.db import connection
from wall import jump, rendered_ids, screenshot, settle, sign_in

from layers.models import AdminUnit, FeatureHistory, Parcel
from layers.registry import registry

pytestmark = pytest.mark.django_db


def parcel_of(ward_name: str, index: int) -> Parcel:
    ward = AdminUnit.objects.get(name=ward_name, level="commune", valid_to__isnull=False)
    return Parcel.objects.filter(ward=ward).order_by("pk")[index]


def compact_parcel_of(ward_name: str, start: int) -> Parcel:
    """The first four-sided parcel from `start` on that nearly fills its smallest rectangle (a corner
    dragged most of the way to its middle then takes away about half of its area)."""
    rows = Parcel.objects.filter(ward__name=ward_name, ward__valid_to__isnull=False).order_by("pk")
    for parcel in rows[start:]:
        outline = shapely.from_wkb(bytes(parcel.geom.wkb))
        if parcel.geom.num_points == 5 and outline.area > 0.9 * outline.minimum_rotated_rectangle.area:
            return parcel
    raise LookupError(f"no compact parcel in {ward_name}")


CLEAR_OF_THE_EDITOR = "{top: 140, bottom: 140, left: 140, right: 440}"


def pick(page, parcel: Parcel, padding: str = "160") -> None:
    """Centre the parcel (within `padding`, MapLibre's), click it, and wait for the editing form."""
    x, y = parcel.geom.point_on_surface.coords
    w, s, e, n = parcel.geom.extent
    bounds = f"[[{w}, {s}], [{e}, {n}]]"
    page.evaluate(f"window.ioc.panels[0].map.fitBounds({bounds}, {{padding: {padding}, duration: 0}})")
    settle(page)
    point = page.evaluate(f"window.ioc.panels[0].map.project([{x}, {y}])")
    box = page.locator(".panel .map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector("#edit-form:not([hidden])")
    assert page.text_content("#edit-form h3").startswith(f"#{parcel.pk}")


def drag_vertex(page, parcel: Parcel, towards_centre: float, most_px: float = 120) -> None:
    """Drag the parcel's first vertex: 0.3 moves it 30 % of the way to the centre, -0.5 moves it
    outwards by half that distance (at most `most_px`: it stays on the map)."""
    (vx, vy) = parcel.geom[0][0][0]
    (cx, cy) = parcel.geom.point_on_surface.coords
    box = page.locator(".panel .map").bounding_box()
    start = page.evaluate(f"window.ioc.panels[0].map.project([{vx}, {vy}])")
    centre = page.evaluate(f"window.ioc.panels[0].map.project([{cx}, {cy}])")
    shift = {k: (centre[k] - start[k]) * towards_centre for k in ("x", "y")}
    length = max(1.0, (shift["x"] ** 2 + shift["y"] ** 2) ** 0.5)
    end = {k: start[k] + shift[k] * min(1.0, most_px / length) for k in ("x", "y")}
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
    page.wait_for_selector("#edit-confirm:not([hidden])")  # the vertex leaves a gap by its neighbours
    page.click("#edit-confirm-save")
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
    page.wait_for_selector("#edit-message.error, #edit-message.permission")
    message = page.text_content("#edit-message")  # overlapping, outside the ward or outside their wards
    assert re.match(r"(Dữ liệu không hợp lệ|Không có quyền): geometry: hình (thể|vẽ) ", message), message
    assert "chồng lên thửa" in message or "nằm ngoài" in message, message
    assert " / " not in message and "the shape" not in message, message  # Vietnamese only
    assert page.is_hidden("#edit-confirm")  # refused before any question
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
    first_address = f"Số 1, đường Thử (bản thứ nhất sau bản {parcel.version})"  # a change on every run
    first.fill("#edit-form [name=address]", first_address)
    first.click("#edit-save")
    first.wait_for_selector("#edit-message.saved")
    second.fill("#edit-form [name=address]", "Số 2, đường Thử (bản thứ hai)")
    second.click("#edit-save")
    second.wait_for_selector("#edit-message.conflict")
    assert Parcel.objects.get(pk=parcel.pk).address == first_address
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


def test_nothing_is_hurt_silently_read_only_parcels_say_why_and_as_of_shows_every_parcel(server_url, watched):
    """One session of a land official of Đồng Tâm: a shrinking drag asks first with the old and the new
    area; the ward is a name, not an input; the land-use list fits the panel; a Hồng Hà parcel opens
    read-only with the reason in Vietnamese naming the ward; restore from the history; the map as of
    a date and time reads every page of the parcels in view, one request per page and none per key."""
    page = watched.page
    sign_in(page, server_url, "diachinh.dongtam", "#view=land")
    parcel = compact_parcel_of("Đồng Tâm", 45)
    pick(page, parcel, CLEAR_OF_THE_EDITOR)
    assert page.text_content("#edit-ward") == "Đồng Tâm"
    assert page.locator("#edit-form [name=ward]").count() == 0
    panel = page.locator("#editor").bounding_box()
    land_use = page.locator("#edit-form [name=land_use]").bounding_box()
    assert land_use["x"] + land_use["width"] <= panel["x"] + panel["width"], (land_use, panel)

    drag_vertex(page, parcel, 0.9, most_px=400)  # most of the way to the middle: far beyond 20 %
    page.click("#edit-save")
    page.wait_for_selector("#edit-confirm:not([hidden])")
    area = page.text_content("#confirm-area").replace("\xa0", " ")
    figures = re.match(r"Diện tích thay đổi: ([\d.,]+) m² → ([\d.,]+) m²", area)
    before, after = (vi_number(n) for n in figures.groups())
    assert before == pytest.approx(parcel.area_m2, abs=0.2) and after < before * 0.8, area
    assert "ngưỡng 20 %" in area and page.locator("#edit-confirm .gap").count() >= 1
    screenshot(page, "editor-confirm.png")
    page.click("#edit-confirm-back")
    assert page.is_hidden("#edit-confirm")
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version  # nothing was saved

    page.click("#edit-cancel")  # an attribute edit saves without a question, then restore it
    pick(page, parcel, CLEAR_OF_THE_EDITOR)
    page.fill("#edit-form [name=address]", "Số 7, đường Khôi Phục")
    page.click("#edit-save")
    page.wait_for_selector("#edit-message.saved")
    assert Parcel.objects.get(pk=parcel.pk).address == "Số 7, đường Khôi Phục"
    page.click(f"#edit-history li[data-version='{parcel.version}'] button.restore")
    page.wait_for_selector(f"#edit-history li[data-version='{parcel.version + 2}']")
    assert Parcel.objects.get(pk=parcel.pk).address == parcel.address

    page.click("#edit-cancel")
    other = parcel_of("Hồng Hà", 45)
    pick(page, other)
    page.wait_for_selector("#edit-message.permission")
    reason = page.text_content("#edit-message")
    assert reason.startswith("Không có quyền: Bạn không có quyền sửa thửa đất ở phường/xã Hồng Hà"), reason
    assert "Đồng Tâm" in reason and not re.search(r"\d|ward", reason), reason
    assert page.is_visible("#edit-form .read-only") and page.locator("#edit-save").count() == 0
    assert page.is_disabled("#edit-form [name=address]")
    page.wait_for_selector("#edit-history:not([hidden]) li")
    assert page.locator("#edit-history button.restore").count() == 0
    page.click("#edit-cancel")

    asked = []
    page.on("request", lambda request: asked.append(request.url) if "as-of" in request.url else None)
    jump(page, *parcel.geom.point_on_surface.coords, 15)
    moment = a_moment_after_every_edit_so_far()
    page.fill("#as-of-date", moment)
    page.focus("#as-of-date")
    for key in ["ArrowUp"] * 3 + ["ArrowDown"] * 3:  # keys that change the picker's value ask nothing
        page.keyboard.press(key)
    assert page.input_value("#as-of-date") == moment and asked == []
    page.click("#as-of-show")
    page.click("#as-of-show")  # twice at once: the later answer wins, no "source already exists"
    page.wait_for_function(
        "() => /: [\\d.]+ thửa$/.test(document.querySelector('#edit-message').textContent)", timeout=30_000)
    shown = page.evaluate("window.ioc.panels[0].map.getSource('as-of').serialize().data.features.length")
    bbox = [float(v) for v in parse_qs(urlparse(asked[-1]).query)["bbox"][0].split(",")]
    in_view = registry.get("parcels").queryset().filter(geom__intersects=Polygon.from_bbox(bbox)).count()
    assert shown == in_view > 500, (shown, in_view)  # more than one page of 500
    assert page.text_content("#edit-message").endswith(f": {in_view:,} thửa".replace(",", "."))
    assert page.evaluate("window.ioc.panels[0].map.getLayoutProperty('parcels', 'visibility')") == "none"
    # the browser logs the read-only parcel's refused dry run (403) as a failed resource, nothing else
    assert [e for e in watched.errors if "403" not in e or "dry-run=true" not in e] == []
    assert watched.outside == []


def vi_number(text: str) -> float:
    """A number as the wall writes it in Vietnamese (1.234,5)."""
    return float(text.replace(".", "").replace(",", "."))


def a_moment_after_every_edit_so_far() -> str:
    """Tomorrow at 08:00 on the database's clock, which stamps the history, as a datetime-local value
    (YYYY-MM-DDTHH:MM)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ((clock_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1)::text "
                       "|| 'T08:00'")
        return cursor.fetchone()[0]
