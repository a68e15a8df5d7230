"""Two merges naming the same parcels in opposite order, at the same moment, through the real
server: one wins, the other is told someone was first (412), never a deadlock's 500."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db.models import Q

from layers.models import AdminUnit, Parcel

pytestmark = pytest.mark.django_db
AUTH = ("diachinh.dongtam", "toancanh-demo")
ROUNDS = 4


def touching_pairs(count: int) -> list[tuple[Parcel, Parcel]]:
    """`count` disjoint pairs of adjacent parcels of Đồng Tâm, from the end of its list."""
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    used: set[int] = set()
    pairs = []
    for parcel in Parcel.objects.filter(ward=ward).order_by("-pk")[:200]:
        if parcel.pk in used:
            continue
        neighbour = Parcel.objects.filter(Q(geom__touches=parcel.geom), ward=ward).exclude(
            pk__in=used | {parcel.pk}).order_by("pk").first()
        if neighbour is not None:
            pairs.append((parcel, neighbour))
            used |= {parcel.pk, neighbour.pk}
        if len(pairs) == count:
            return pairs
    raise AssertionError("the demo city has too few adjacent parcels in Đồng Tâm")


def test_opposite_merges_of_the_same_parcels_never_deadlock(server_url):
    statuses: list[int] = []
    for first, second in touching_pairs(ROUNDS):
        items = [{"id": first.pk, "version": first.version}, {"id": second.pk, "version": second.version}]
        start = threading.Barrier(2)

        def merge(order: list[dict], start: threading.Barrier = start) -> int:
            start.wait()
            return requests.post(f"{server_url}/ogc/collections/parcels/merge", json={"items": order},
                                 auth=AUTH, timeout=60).status_code

        with ThreadPoolExecutor(2) as pool:
            statuses.extend(pool.map(merge, [items, items[::-1]]))
    assert 500 not in statuses, statuses
    assert sorted(statuses) == [201] * ROUNDS + [412] * ROUNDS, statuses
