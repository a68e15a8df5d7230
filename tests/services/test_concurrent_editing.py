"""No lost edits: 20 editors at once on one parcel version, through the real server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from layers.models import AdminUnit, FeatureHistory, Parcel

pytestmark = pytest.mark.django_db
EDITORS = 20
AUTH = ("diachinh.dongtam", "toancanh-demo")


def parcels_of_dong_tam(count: int, skip: int) -> list[Parcel]:
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    return list(Parcel.objects.filter(ward=ward).order_by("pk")[skip : skip + count])


def patch_all(server_url: str, targets: list[tuple[int, int, str]]) -> list[int]:
    """PATCH every (id, version, address) at the same moment; the HTTP statuses in order."""
    start = threading.Barrier(len(targets))
    requests.get(f"{server_url}/ogc/collections/parcels/items/{targets[0][0]}", auth=AUTH, timeout=30)

    def send(target: tuple[int, int, str]) -> int:
        fid, version, address = target
        start.wait()
        return requests.patch(
            f"{server_url}/ogc/collections/parcels/items/{fid}",
            auth=AUTH,
            timeout=60,
            json={"properties": {"address": address}},
            headers={"If-Match": f'"{version}"', "Content-Type": "application/geo+json"},
        ).status_code

    with ThreadPoolExecutor(len(targets)) as pool:
        return list(pool.map(send, targets))


def history_count(ids: list[int]) -> int:
    return FeatureHistory.objects.filter(table_name="layers_parcel", feature_id__in=ids).count()


def restore(parcels: list[Parcel]) -> None:
    with connection.cursor() as cursor:
        for parcel in parcels:
            cursor.execute("UPDATE layers_parcel SET address = %s WHERE id = %s", [parcel.address, parcel.pk])


def test_twenty_editors_on_one_version_one_wins_nineteen_get_412(server_url):
    (parcel,) = parcels_of_dong_tam(1, skip=40)
    before = history_count([parcel.pk])
    statuses = patch_all(
        server_url, [(parcel.pk, parcel.version, f"Số {n}, đường Thử") for n in range(EDITORS)]
    )
    try:
        assert sorted(statuses) == [200] + [412] * (EDITORS - 1)
        assert history_count([parcel.pk]) == before + 1
        assert Parcel.objects.get(pk=parcel.pk).version == parcel.version + 1
    finally:
        restore([parcel])


def test_twenty_editors_on_twenty_parcels_all_succeed(server_url):
    parcels = parcels_of_dong_tam(EDITORS, skip=50)
    before = history_count([p.pk for p in parcels])
    statuses = patch_all(server_url, [(p.pk, p.version, f"Số {p.pk}, đường Song Song") for p in parcels])
    try:
        assert statuses == [200] * EDITORS
        assert history_count([p.pk for p in parcels]) == before + EDITORS
    finally:
        restore(parcels)
