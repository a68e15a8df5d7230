"""An editor that cannot hurt silently, on the API side: refusals in Vietnamese (English under
?lang=en) that name the ward by name and say permission (403) or data (400); the ward follows the
shape; a dry run tells the area before and after, the gaps and the overlaps; restore is for editors
of the parcel's ward only."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from shapely import affinity
from shapely.geometry import mapping, shape

from layers.history import feature_history
from layers.models import AdminUnit, FeatureHistory, Parcel
from layers.registry import registry

pytestmark = pytest.mark.django_db
GEOJSON = "application/geo+json"
ITEMS = "/ogc/collections/parcels/items"
SQL_WORDS = ("layers_", "SELECT", "psycopg", "Traceback")


def ward(name: str) -> AdminUnit:
    return AdminUnit.objects.get(name=name, level="commune", valid_to__isnull=False)


def dong_tam(index: int) -> Parcel:
    return Parcel.objects.filter(ward=ward("Đồng Tâm")).order_by("pk")[index]


def write(client, as_user, parcel: Parcel, body: dict, user: str, method: str = "patch", query: str = ""):
    return getattr(client, method)(f"{ITEMS}/{parcel.pk}{query}", json.dumps(body), content_type=GEOJSON,
                                   HTTP_IF_MATCH=f'"{parcel.version}"', **as_user(user))


def geometry(parcel: Parcel) -> dict:
    return json.loads(parcel.geom.geojson)


def clean(description: str) -> str:
    assert not any(word in description for word in SQL_WORDS), description
    return description


def test_a_permission_refusal_is_403_in_vietnamese_naming_the_ward_by_name_and_english_with_lang_en(
        client, as_user):
    parcel = dong_tam(60)
    vi = write(client, as_user, parcel, {"properties": {"address": "Số 3"}}, "diachinh.hongha")
    en = write(client, as_user, parcel, {"properties": {"address": "Số 3"}}, "diachinh.hongha",
               query="?lang=en")
    assert vi.status_code == en.status_code == 403
    assert vi.json()["problem"] == en.json()["problem"] == "permission"
    assert vi.json()["ward"] == "Đồng Tâm"
    text = clean(vi.json()["description"])
    assert "không có quyền" in text and "Đồng Tâm" in text and "Hồng Hà" in text, text
    assert not re.search(r"\d", text), text  # no ward id, no number at all
    english = clean(en.json()["description"])
    assert english.startswith("you may not edit land parcels in Đồng Tâm"), english
    assert not re.search(r"\d", english), english


def test_a_data_refusal_is_400_in_vietnamese_and_english_naming_the_ward(client, as_user):
    parcel = dong_tam(61)
    neighbour = Parcel.objects.filter(geom__touches=parcel.geom).exclude(pk=parcel.pk).order_by("pk").first()
    grown = mapping(shape(geometry(parcel)).union(shape(geometry(neighbour)).buffer(-0.00001)))
    vi = write(client, as_user, parcel, {"geometry": grown}, "diachinh.dongtam")
    en = write(client, as_user, parcel, {"geometry": grown}, "diachinh.dongtam", query="?lang=en")
    assert vi.status_code == en.status_code == 400
    assert vi.json()["problem"] == "data" and vi.json()["ward"] == "Đồng Tâm"
    text = clean(vi.json()["description"])
    assert text.startswith("geometry: hình thể chồng lên thửa "), text
    assert f"thửa {neighbour.parcel_no} tờ {neighbour.sheet_no}" in text, text
    assert f"overlaps parcel {neighbour.pk}" in clean(en.json()["description"])
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version


def test_the_ward_is_derived_from_the_shape_and_a_different_ward_sent_is_refused(client, as_user):
    parcel = dong_tam(62)
    assert "ward" not in registry.get("parcels").writable_fields
    # a ward the editor may not write: a permission problem, named
    other = write(client, as_user, parcel, {"properties": {"ward": ward("Hồng Hà").pk}}, "diachinh.dongtam")
    assert other.status_code == 403 and "Hồng Hà" in other.json()["description"]
    # an administrator may write anywhere: a ward that is not the shape's is a data problem
    wrong = write(client, as_user, parcel,
                  {"geometry": geometry(parcel), "properties": {"ward": ward("Hồng Hà").pk}}, "quantri")
    assert wrong.status_code == 400 and wrong.json()["problem"] == "data"
    assert "Đồng Tâm" in wrong.json()["description"] and "Hồng Hà" in wrong.json()["description"]
    same = write(client, as_user, parcel, {"properties": {"ward": parcel.ward_id, "address": "Số 4"}},
                 "diachinh.dongtam")
    assert same.status_code == 200, same.content  # the shape's own ward sent back is fine
    # a stored ward that is not the shape's is put right by the next reshaping
    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_parcel SET ward_id = %s WHERE id = %s", [ward("Hồng Hà").pk, parcel.pk])
    moved = Parcel.objects.get(pk=parcel.pk)
    smaller = mapping(affinity.scale(shape(geometry(parcel)), 0.99, 0.99, origin="centroid"))
    assert write(client, as_user, moved, {"geometry": smaller}, "quantri").status_code == 200
    assert Parcel.objects.get(pk=parcel.pk).ward_id == ward("Đồng Tâm").pk


def pulled_in(parcel: Parcel, share: float) -> dict:
    """The parcel with its first vertex moved `share` of the way to its centre (the closing vertex too)."""
    rings = geometry(parcel)["coordinates"][0]
    (cx, cy) = parcel.geom.point_on_surface.coords
    x, y = rings[0][0]
    moved = [x + (cx - x) * share, y + (cy - y) * share]
    outer = [moved, *rings[0][1:-1], moved]
    return {"type": "Polygon", "coordinates": [outer, *rings[1:]]}


def test_a_dry_run_tells_the_area_the_gaps_and_whether_to_confirm_and_writes_nothing(client, as_user):
    parcel = dong_tam(63)
    history = FeatureHistory.objects.count()
    body = {"type": "Feature", "geometry": pulled_in(parcel, 0.9),
            "properties": {"sheet_no": parcel.sheet_no, "parcel_no": parcel.parcel_no,
                           "land_use": parcel.land_use, "owner_type": parcel.owner_type,
                           "address": parcel.address}}
    answer = write(client, as_user, parcel, body, "diachinh.dongtam", method="put", query="?dry-run=true")
    assert answer.status_code == 200, answer.content
    check = answer.json()
    assert check["dryRun"] is True and check["ward"] == {"id": parcel.ward_id, "name": "Đồng Tâm"}
    assert check["area"]["before"] == pytest.approx(parcel.area_m2, abs=0.2)
    assert check["area"]["after"] < check["area"]["before"] * 0.8
    assert check["area"]["threshold"] == registry.get("parcels").editor.confirm_area_change == 0.2
    assert check["confirm"] is True and check["reasons"] == ["area", "gap"]
    gap = check["gaps"][0]
    assert gap["area_m2"] == pytest.approx(check["area"]["before"] - check["area"]["after"], rel=0.05)
    touching = set(Parcel.objects.filter(geom__touches=parcel.geom).values_list("pk", flat=True))
    assert {n["id"] for n in gap["neighbours"]} & touching, gap["neighbours"]
    assert check["overlaps"] == []
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version
    assert FeatureHistory.objects.count() == history
    # an attribute edit changes no area: nothing to confirm
    quiet = write(client, as_user, parcel, {"properties": {"address": "Số 9"}}, "diachinh.dongtam",
                  query="?dry-run=true").json()
    assert (quiet["confirm"], quiet["area"]["change"], quiet["gaps"]) == (False, 0.0, [])
    # a dry run is refused as the write would be
    refused = write(client, as_user, parcel, {"properties": {"address": "Số 9"}}, "diachinh.hongha",
                    query="?dry-run=true")
    assert refused.status_code == 403 and refused.json()["problem"] == "permission"


def test_restore_is_for_editors_of_the_parcels_ward(client, as_user):
    parcel = dong_tam(64)
    entry = feature_history(registry.get("parcels"), parcel.pk).first()
    url = f"{ITEMS}/{parcel.pk}/history/{entry.pk}/restore"
    for user, status in (("gis", 403), ("diachinh.hongha", 403), ("diachinh.dongtam", 200)):
        answer = client.post(url, HTTP_IF_MATCH=f'"{parcel.version}"', **as_user(user))
        assert answer.status_code == status, (user, answer.content)
        if status == 403:
            assert answer.json()["problem"] == "permission"
    again = client.post(url, HTTP_IF_MATCH='"1"', **as_user("diachinh.hongha"))
    assert "Đồng Tâm" in again.json()["description"]
