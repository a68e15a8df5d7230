"""The map page loads offline in real Chromium and draws the city from its own layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.models import AdminUnit, Parcel

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_map_loads_with_no_console_error_and_no_request_leaving_the_machine(server_url, watched):
    page = watched.page
    page.goto(f"{server_url}/")
    page.wait_for_function(
        "() => window.ioc && window.ioc.map.loaded() && window.ioc.map.areTilesLoaded()", timeout=60_000
    )
    assert watched.outside == [] and watched.errors == []
    layers = page.evaluate("window.ioc.config.layers.map(l => l.id)")
    assert "parcels" in layers and "detections" not in layers


def test_the_map_draws_parcels_and_ward_names_queried_from_the_map(server_url, watched):
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    parcel = Parcel.objects.filter(ward=ward).order_by("pk")[60]
    x, y = parcel.geom.centroid.coords
    page = watched.page
    page.goto(f"{server_url}/")
    page.wait_for_function("() => window.ioc && window.ioc.map.loaded()", timeout=60_000)
    page.evaluate(f"window.ioc.map.jumpTo({{center: [{x}, {y}], zoom: 16}})")
    page.wait_for_function("() => window.ioc.map.loaded() && window.ioc.map.areTilesLoaded()", timeout=60_000)
    ids = page.evaluate("window.ioc.map.queryRenderedFeatures({layers: ['parcels-fill']}).map(f => f.id)")
    assert parcel.pk in ids
    page.evaluate("window.ioc.map.jumpTo({zoom: 13})")
    page.wait_for_function("() => window.ioc.map.loaded() && window.ioc.map.areTilesLoaded()", timeout=60_000)
    names = page.evaluate(
        "window.ioc.map.queryRenderedFeatures({layers: ['wards-label']}).map(f => f.properties.name)"
    )
    assert "Đồng Tâm" in names
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map-ward-labels.png"))
    assert watched.outside == [] and watched.errors == []
