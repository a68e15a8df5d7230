"""A large batch of parcels is judged against itself by one union when its shapes cannot overlap beyond
the tolerance (their areas' sum less their union's area bounds every pair's overlap); when they may, each
pair is compared as for a small batch, so an overlap inside the file is still found and named."""

from __future__ import annotations

import pytest
from shapely import affinity

from layers import cadastre
from layers.models import Parcel

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch):
    """Batches of 2 or more take the union's road (as a file of 1,000 parcels does)."""
    monkeypatch.setattr(cadastre, "BATCH_SHORTCUT_ROWS", 2)


def test_a_batch_without_overlaps_passes_by_the_union(large, ward, lots):
    shapes = [lot.wkt for lot in lots(10)]
    assert cadastre.breaches(Parcel, shapes, [ward.pk] * 10) == [None] * 10


def test_an_overlap_inside_a_large_batch_is_still_found(large, ward, lots):
    squares = lots(10)
    squares.append(affinity.translate(squares[3], xoff=0.00004))  # over half of lot 4
    found = cadastre.breaches(Parcel, [square.wkt for square in squares], [ward.pk] * 11)
    assert found[:10] == [None] * 10
    assert (found[10].rule, found[10].other) == ("overlap", 3)
