"""What the wall's popups, legends and counts read from the server (#20 items 5 and 7): labels from the
registry's vocabularies in both languages, ward names, dates typed, the camera's latest frame only for
roles that may see camera frames, units in English, legends whose colours do not collide in a view, and
view counts that add only layers of one kind."""

from __future__ import annotations

import itertools
import os

import pytest
from django.conf import settings

from layers.models import Camera
from layers.registry import registry
from vision.evidence import SUBDIR
from web_map.layers_api import views_json

pytestmark = pytest.mark.django_db
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + bytes(64) + bytes.fromhex("ffd9")
# CIE76 ΔE under which two legend colours read as one on the wall ("Xe đạp" and "Đang hoạt động")
CLOSE = 24


def lab(color: str) -> tuple[float, float, float]:
    """sRGB '#RRGGBB' → CIE L*a*b* (D65)."""
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(one: str, other: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(lab(one), lab(other), strict=True)) ** 0.5


def fields(client, layer_id: str, headers: dict) -> dict:
    answer = client.get("/api/layers", **headers).json()
    layer = next(layer for layer in answer["layers"] if layer["id"] == layer_id)
    return layer, {field["name"]: field for field in layer["fields"]}


def test_no_two_terms_of_a_view_s_legends_share_a_colour():
    """Across the layers of one view (the legend shows them together), every two terms of different code
    lists differ by ΔE ≥ 24; a code list's own repeats are its standard's (land use classes)."""
    by_id = {layer.id: layer for layer in registry}
    clashes = []
    for view in views_json(list(registry)):
        terms = set()
        for layer in (by_id[layer_id] for layer_id in view["layers"]):
            vocabulary = layer.style.vocabulary
            terms |= ({(vocabulary.name, term.vi, term.color.upper()) for term in vocabulary.terms}
                      if vocabulary else {(layer.id, layer.title_vi, layer.style.color.upper())})
        pairs = itertools.combinations(sorted(terms), 2)
        clashes += [(view["code"], one[1], other[1]) for one, other in pairs
                    if one[0] != other[0] and distance(one[2], other[2]) < CLOSE]
    assert clashes == []


def test_coded_values_come_labelled_in_both_languages_with_ward_names_and_typed_dates(client, as_user):
    layer, incident = fields(client, "incidents", as_user("vanhanh"))
    assert incident["source"]["values"]["hotline_113"] == ["Tổng đài 113", "Hotline 113"]
    assert incident["category"]["values"]["fire"] == ["Cháy, nổ", "Fire or explosion"]  # not vi twice
    assert incident["reported_at"]["type"] == "datetime"
    assert incident["ward"]["refers"] == "units"  # the popup names the ward from /api/units
    _, report = fields(client, "citizen_reports", as_user("vanhanh"))
    assert report["channel"]["values"]["hotline"] == ["Đường dây nóng", "Hotline"]


def test_units_are_labelled_in_english_too(client):
    layer, _ = fields(client, "wards", {})
    budget = next(metric for metric in layer["metrics"] if metric["code"] == "budget_revenue")
    assert (budget["unit"], budget["unit_en"]) == ("triệu đồng", "million VND")
    indicator = client.get("/api/stats?indicator=budget_revenue").json()["indicator"]
    assert indicator["unit_en"] == "million VND"


def test_the_camera_s_latest_frame_is_offered_and_served_only_to_roles_that_see_camera_frames(
        client, as_user, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    camera = Camera.objects.order_by("id").first()
    folder = tmp_path / SUBDIR / f"camera-{camera.id}"
    folder.mkdir(parents=True)
    (folder / "track-1.jpg").write_bytes(JPEG + b"old")
    (folder / "track-2.jpg").write_bytes(JPEG)
    older = folder / "track-1.jpg"
    older.touch()

    os.utime(folder / "track-2.jpg", (older.stat().st_mtime + 5,) * 2)
    cameras, _ = fields(client, "cameras", as_user("vanhanh"))
    url = cameras["snapshot"].replace("{id}", str(camera.id))
    answer = client.get(url, **as_user("vanhanh"))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert b"".join(answer.streaming_content) == JPEG  # the newest frame
    assert client.get(url).status_code == 401
    assert client.get(url, **as_user("quyhoach")).status_code in (401, 403)
    assert client.get(url.replace(f"/{camera.id}/", "/999999/"), **as_user("vanhanh")).status_code == 404
    _, incident = fields(client, "incidents", as_user("vanhanh"))
    assert incident["description"]["images"] == "/media/vision/evidence/"  # evidence links shown as images


def test_a_view_counts_only_its_primary_layers():
    """Cameras and traffic: detections (events in the window) only, not cameras nor H3 cells."""
    views = {view["code"]: view for view in views_json(list(registry))}
    assert views["traffic"]["counted"] == ["detections"]
    assert views["land"]["counted"] == ["parcels"]
    assert views["land"]["min_zoom"] == 14  # the wall says parcels draw from zoom 14
