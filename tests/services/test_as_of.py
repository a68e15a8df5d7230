"""`items?as-of=…` is the same items request on the layer as it was: the same limit, paging, bbox,
filter, sortby and validation, computed in SQL one page at a time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from layers.models import Parcel

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/parcels/items"


@pytest.fixture
def before_edit() -> str:
    """A moment before an edit of the land use of the first ODT parcels (by plain SQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")  # the clock that stamps history
        moment = cursor.fetchone()[0].isoformat()
        cursor.execute("UPDATE layers_parcel SET land_use = 'TMD' WHERE id IN "
                       "(SELECT id FROM layers_parcel WHERE land_use = 'ODT' ORDER BY id LIMIT 3)")
    return moment


@pytest.mark.parametrize("limit", ["-5", "0", "abc"])
def test_a_limit_below_one_is_refused_as_for_todays_items(client, limit):
    today = client.get(ITEMS, {"limit": limit})
    past = client.get(ITEMS, {"as-of": timezone.now().isoformat(), "limit": limit})
    assert today.status_code == past.status_code == 400, past.content[:300]


def test_a_huge_limit_is_capped_as_for_todays_items(client):
    past = client.get(ITEMS, {"as-of": timezone.now().isoformat(), "limit": "100000", "skipGeometry": "true"})
    assert past.status_code == 200
    assert past.json()["numberReturned"] == 10_000


def test_as_of_pages_follow_next_links_in_id_order(client, before_edit):
    first = client.get(ITEMS, {"as-of": before_edit, "limit": 5})
    assert first.status_code == 200, first.content[:300]
    page = first.json()
    ids = [f["id"] for f in page["features"]]
    assert ids == list(Parcel.objects.order_by("pk").values_list("pk", flat=True)[:5])
    following = next(link["href"] for link in page["links"] if link["rel"] == "next")
    second = client.get(following.replace("http://testserver", "")).json()
    assert [f["id"] for f in second["features"]] == list(
        Parcel.objects.order_by("pk").values_list("pk", flat=True)[5:10])
    offset = client.get(ITEMS, {"as-of": before_edit, "limit": 5, "offset": 5}).json()
    assert [f["id"] for f in offset["features"]] == [f["id"] for f in second["features"]]


def test_filter_and_sortby_apply_to_the_values_of_that_moment(client, before_edit):
    params = {"as-of": before_edit, "filter": "land_use = 'ODT'", "sortby": "-area_m2", "limit": 20}
    past = client.get(ITEMS, params).json()["features"]
    assert {f["properties"]["land_use"] for f in past} == {"ODT"}
    areas = [f["properties"]["area_m2"] for f in past]
    assert len(past) == 20 and areas == sorted(areas, reverse=True)


def test_the_three_edited_parcels_were_odt_then_and_are_tmd_now(client, before_edit):
    edited = set(Parcel.objects.filter(land_use="TMD").order_by("-updated_at", "-pk")
                 .values_list("pk", flat=True)[:3])
    then = client.get(ITEMS, {"as-of": before_edit, "filter": "land_use = 'ODT'", "limit": 10_000,
                              "skipGeometry": "true"}).json()
    now = client.get(ITEMS, {"filter": "land_use = 'ODT'", "limit": 10_000, "skipGeometry": "true"}).json()
    assert {f["id"] for f in then["features"]} - {f["id"] for f in now["features"]} == edited


def test_bbox_and_properties_narrow_an_as_of_page(client, before_edit):
    parcel = Parcel.objects.order_by("pk")[100]
    minx, miny, maxx, maxy = parcel.geom.extent
    bbox = f"{minx},{miny},{maxx},{maxy}"
    today = client.get(ITEMS, {"bbox": bbox, "limit": 1000, "properties": "sheet_no"}).json()
    past = client.get(ITEMS, {"as-of": before_edit, "bbox": bbox, "limit": 1000,
                              "properties": "sheet_no"}).json()
    assert [f["id"] for f in past["features"]] == [f["id"] for f in today["features"]]
    assert set(past["features"][0]["properties"]) == {"sheet_no"}


@pytest.mark.parametrize(("params", "message"), [
    ({"as-of": "yesterday"}, "as-of"),
    ({"as-of": "2025-01-01/2025-02-01"}, "as-of"),
    ({"as-of": "2025-01-01", "colour": "red"}, "unknown query parameters"),
    ({"as-of": "2025-01-01", "filter": "land_use = "}, "filter"),
])
def test_bad_as_of_requests_get_a_400_naming_the_problem(client, params, message):
    response = client.get(ITEMS, {**params, "lang": "en"})  # the messages in English
    assert response.status_code == 400, response.content[:300]
    assert message in response.json()["description"]


def test_a_layer_without_history_has_no_past(client):
    response = client.get("/ogc/collections/schools/items", {"as-of": "2025-01-01"})
    assert response.status_code == 400
    assert "không lưu lịch sử" in response.json()["description"]
