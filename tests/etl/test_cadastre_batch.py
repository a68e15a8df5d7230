"""A large batch of parcels is judged against itself by one union when its shapes cannot overlap beyond
the tolerance (their areas' sum less their union's area bounds every pair's overlap); when they may, each
pair is compared as for a small batch, so an overlap inside the file is still found and named. The union
is taken only when the shapes' boxes meet at least as many pairs as there are shapes (a cadastre's
neighbours sharing their edges); shapes apart from each other are compared in pairs, which are then few."""

from __future__ import annotations

import pytest
from shapely import affinity, box

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


def _no_union(cursor, identifiers):
    raise AssertionError("the union was taken")


def test_shapes_apart_from_each_other_are_compared_in_pairs_without_the_union(large, ward, lots,
                                                                              monkeypatch):
    monkeypatch.setattr(cadastre, "_batch_overlap", _no_union)
    squares = lots(10)  # 10 % gaps between lots: no two boxes meet
    squares.append(affinity.translate(squares[3], xoff=0.00004))
    found = cadastre.breaches(Parcel, [square.wkt for square in squares], [ward.pk] * 11)
    assert found[:10] == [None] * 10
    assert (found[10].rule, found[10].other) == ("overlap", 3)


def test_neighbours_sharing_their_edges_are_judged_by_the_union(large, ward, lots, monkeypatch):
    taken = []
    real = cadastre._batch_overlap
    monkeypatch.setattr(cadastre, "_batch_overlap", lambda *a: taken.append(1) or real(*a))
    x0, y0 = lots(1)[0].bounds[:2]
    step = 0.0001  # 3 × 3 lots sharing their edges: 20 pairs of boxes meet, for 9 shapes
    shapes = [box(x0 + i % 3 * step, y0 + i // 3 * step, x0 + (i % 3 + 1) * step, y0 + (i // 3 + 1) * step)
              for i in range(9)]
    assert cadastre.breaches(Parcel, [shape.wkt for shape in shapes], [ward.pk] * 9) == [None] * 9
    assert taken == [1]
