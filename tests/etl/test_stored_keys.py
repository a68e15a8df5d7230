"""An import reads the stored rows its natural keys may repeat, not the whole layer: the rows whose
every key field holds a value (or lies in the range of values) the file has, NULL when the file
leaves the field empty."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.stored_keys import LISTED, stored_near
from etl.targets import get_target
from layers.models import Parcel

pytestmark = pytest.mark.django_db


def keys_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["ward_id", "sheet_no", "parcel_no"], dtype=object)


def test_the_rows_a_files_keys_reach_and_no_other_ward():
    some = list(Parcel.objects.order_by("ward_id", "sheet_no", "parcel_no")[:3])
    other_ward = Parcel.objects.exclude(ward_id=some[0].ward_id).first()
    frame = keys_frame([(p.ward_id, p.sheet_no, p.parcel_no) for p in some] + [(some[0].ward_id, 9999, 1)])

    near = set(stored_near(frame, get_target("parcels")).values_list("pk", flat=True))

    assert {p.pk for p in some} <= near
    assert other_ward.pk not in near
    assert len(near) < Parcel.objects.count()


def test_many_distinct_values_are_asked_by_their_range_references_too():
    stored = Parcel.objects.order_by("pk").first()
    many = range(LISTED + 1)
    frame = keys_frame([(stored.ward_id + n, stored.sheet_no, stored.parcel_no + n) for n in many])

    near = stored_near(frame, get_target("parcels"))

    assert f'"ward_id" >= {stored.ward_id}' in str(near.query)
    assert f'"parcel_no" <= {stored.parcel_no + LISTED}' in str(near.query)
    assert near.filter(pk=stored.pk).exists()


def test_a_key_field_left_empty_reaches_the_stored_rows_where_it_is_empty():
    frame = pd.DataFrame({"code": ["SC-1", None]}, dtype=object)
    query = str(stored_near(frame, get_target("incidents")).query)
    assert "IS NULL" in query and "IN (SC-1)" in query
