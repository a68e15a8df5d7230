"""Offset pages are exactly the rows SQL gives at that offset, however the table is partitioned."""

from __future__ import annotations

import base64
import itertools
from datetime import timedelta

import pytest
from django.db import connection

from layers.models import Camera, Detection
from layers.registry import registry

pytestmark = pytest.mark.django_db
OPERATOR = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"vanhanh:toancanh-demo").decode()}


def page_ids(client, layer: str, offset: int, limit: int = 5, **params) -> list[int]:
    response = client.get(
        f"/ogc/collections/{layer}/items", {"offset": offset, "limit": limit, **params}, **OPERATOR
    )
    assert response.status_code == 200, response.content[:400]
    return [feature["id"] for feature in response.json()["features"]]


def sql_ids(layer: str, offset: int, limit: int = 5, **where) -> list[int]:
    rows = registry.get(layer).queryset().filter(**where).order_by("id")
    return list(rows.values_list("id", flat=True)[offset : offset + limit])


def partitions() -> list[tuple[int, int, int]]:
    """(rows, lowest id, highest id) of each detections partition holding rows, in id order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), min(id), max(id) FROM layers_detection GROUP BY tableoid ORDER BY min(id)"
        )
        return cursor.fetchall()


def offsets_around_partition_edges() -> list[int]:
    offsets, edge = [0, 1], 0
    for size, _low, _high in partitions():
        edge += size
        offsets += [edge - 1, edge, edge + 1]
    return offsets + [edge + 1000]  # past the end: an empty page


def test_demo_detections_span_several_partitions_in_id_order():
    """The case the partition walk serves: each month's ids above the month before."""
    ranges = partitions()
    assert len(ranges) >= 3
    assert all(before[2] < after[1] for before, after in itertools.pairwise(ranges))


def test_offset_pages_of_detections_match_sql_at_every_partition_edge(client):
    for offset in offsets_around_partition_edges():
        assert page_ids(client, "detections", offset) == sql_ids("detections", offset), offset


def test_offset_pages_stay_exact_when_a_late_detection_breaks_the_id_order(client):
    """A detection recorded late (an old time, so an old partition, with the newest id) makes the
    partitions' id ranges overlap: pages must still follow ids across all partitions."""
    oldest = Detection.objects.order_by("observed_at").first()
    late = Detection.objects.create(
        camera=Camera.objects.get(pk=oldest.camera_id), object_class="car", confidence=0.8,
        observed_at=oldest.observed_at + timedelta(seconds=1), ward_id=oldest.ward_id, geom=oldest.geom,
    )
    assert late.id > Detection.objects.exclude(pk=late.pk).order_by("-id").values_list("id", flat=True)[0]
    total = Detection.objects.count()
    for offset in [*offsets_around_partition_edges(), total - 1]:
        assert page_ids(client, "detections", offset) == sql_ids("detections", offset), offset
    assert page_ids(client, "detections", total - 1) == [late.id]


def test_offset_pages_with_a_filter_match_sql(client):
    offset = Detection.objects.filter(object_class="car").count() // 2
    assert page_ids(client, "detections", offset, object_class="car") == sql_ids(
        "detections", offset, object_class="car"
    )


def test_offset_pages_of_a_plain_table_match_sql(client):
    offset = registry.get("parcels").queryset().count() - 3
    assert page_ids(client, "parcels", offset) == sql_ids("parcels", offset)


@pytest.mark.parametrize("params", [{}, {"object_class": "car"}, {"sortby": "-observed_at"}])
@pytest.mark.parametrize("offset", [2**63 - 1, 10**23])
def test_an_offset_past_every_table_is_an_empty_page(client, params, offset):
    assert page_ids(client, "detections", offset, **params) == []
