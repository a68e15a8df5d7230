"""Codes in a file are looked up among the rows they can name, not the whole referenced table (a
building file names parcels by ward, sheet and number; a province holds millions of parcels)."""

from __future__ import annotations

import pytest

from etl.lookups import LookupTable
from layers.models import Parcel

pytestmark = pytest.mark.django_db
PATHS = ["ward__code", "sheet_no", "parcel_no"]


def key_of(parcel: Parcel) -> tuple[str, str, str]:
    return (parcel.ward.code, str(parcel.sheet_no), str(parcel.parcel_no))


def test_only_the_rows_a_files_keys_name_are_read_and_found():
    named = list(Parcel.objects.select_related("ward").order_by("pk")[:3])
    wanted = [key_of(p) for p in named] + [(named[0].ward.code, "9999", "1")]

    table = LookupTable(Parcel, PATHS, wanted)

    assert [table.find(key_of(p)) for p in named] == [p.pk for p in named]
    assert table.find(wanted[-1]) is None
    assert len(table) < Parcel.objects.count()


def test_a_value_that_cannot_be_the_fields_names_nothing_and_breaks_nothing():
    parcel = Parcel.objects.select_related("ward").first()
    table = LookupTable(Parcel, PATHS, [(parcel.ward.code, "tờ 5", "1"), key_of(parcel)])
    assert table.find((parcel.ward.code, "tờ 5", "1")) is None
    assert table.find(key_of(parcel)) == parcel.pk
