"""The wall's one search box in real Chromium: "tờ 1 thửa 9" flies to that parcel, outlines it and the
map draws its "1/9" label; within a chosen ward, "1/9" finds that ward's parcel."""

from __future__ import annotations

import pytest
from wall import TIMEOUT, open_wall, settle

from layers.models import AdminUnit, Parcel

pytestmark = pytest.mark.django_db

FLOWN = "(hit) => document.body.dataset.searchHit === hit"


def type_and_choose(page, text: str) -> dict:
    """Type `text`, wait for the hits, press Enter (the first hit); the hit chosen."""
    page.fill("#unit-search", text)
    page.wait_for_selector("#unit-results button[data-hit='0']", timeout=TIMEOUT)
    first = page.evaluate("window.ioc.area.search.hits[0]")
    page.press("#unit-search", "Enter")
    return first


LABELS = ("(id) => window.ioc.panels[0].map.queryRenderedFeatures({layers: ['parcels-label']})"
          ".filter(f => f.id === id)"
          ".map(f => ({sheet: f.properties.sheet_no, parcel: f.properties.parcel_no}))")


def labelled(page, parcel_id: int) -> list[dict]:
    """The parcel's label as the main panel draws it (its rendered symbol features), once drawn."""
    page.wait_for_function(f"(id) => ({LABELS})(id).length > 0", arg=parcel_id, timeout=TIMEOUT)
    return page.evaluate(LABELS, parcel_id)


def test_searching_to_1_thua_9_flies_to_that_parcel_and_labels_it(server_url, watched):
    page = watched.page
    open_wall(page, server_url)
    hit = type_and_choose(page, "tờ 1 thửa 9")
    parcel = Parcel.objects.get(pk=hit["id"])
    assert (hit["layer"], hit["kind"], parcel.sheet_no, parcel.parcel_no) == ("parcels", "parcel", 1, 9)
    assert hit["label"] == "Tờ 1 thửa 9" and hit["ward"] == parcel.ward.name
    page.wait_for_function(FLOWN, arg=f"parcels:{parcel.pk}", timeout=TIMEOUT)
    settle(page)
    assert page.evaluate("window.ioc.panels[0].viewCode") == "land"  # the parcels' view
    assert page.evaluate("window.ioc.panels[0].map.getZoom()") >= 16  # the parcels' labels show from 16
    centre = page.evaluate("window.ioc.panels[0].map.getCenter().toArray()")
    assert parcel.geom.extent[0] <= centre[0] <= parcel.geom.extent[2]
    assert parcel.geom.extent[1] <= centre[1] <= parcel.geom.extent[3]
    page.wait_for_function(
        "(id) => window.ioc.panels[0].map.queryRenderedFeatures({layers: ['search-hit']})"
        ".some(f => f.id === id)",
        arg=parcel.pk, timeout=TIMEOUT)  # outlined
    assert {"sheet": 1, "parcel": 9} in labelled(page, parcel.pk)
    text = page.evaluate("window.ioc.panels[0].map.getLayoutProperty('parcels-label', 'text-field')")
    assert text == ["concat", ["to-string", ["coalesce", ["get", "sheet_no"], ""]], "/",
                    ["to-string", ["coalesce", ["get", "parcel_no"], ""]]]

    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune")
    chosen = type_and_choose(page, "dong tam")  # a ward: drill down to it
    assert chosen["unit"] == ward.pk
    page.wait_for_function(f"() => document.querySelector('[data-kpi=unit]').textContent === '{ward.name}'",
                           timeout=TIMEOUT)
    inside = Parcel.objects.get(ward=ward, sheet_no=1, parcel_no=9)
    hit = type_and_choose(page, "1/9")
    assert (hit["layer"], hit["id"]) == ("parcels", inside.pk)
    page.wait_for_function(FLOWN, arg=f"parcels:{inside.pk}", timeout=TIMEOUT)
    settle(page)
    assert {"sheet": 1, "parcel": 9} in labelled(page, inside.pk)
    assert watched.errors == [] and watched.outside == []
