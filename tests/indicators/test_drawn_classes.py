"""The classes of an indicator choropleth (quantiles, natural breaks) and the ranking of units: known sets
with their expected bounds, counts, colours and order."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from indicators.classify import BadClassification, classify, natural_breaks, quantile_breaks, rank

TEN = [7.0, 1.0, 10.0, 3.0, 5.0, 2.0, 9.0, 4.0, 8.0, 6.0]


def test_quantile_bounds_of_one_to_ten_in_five_classes_interpolate_as_numpy():
    assert quantile_breaks(TEN, 5) == pytest.approx([1.0, 2.8, 4.6, 6.4, 8.2, 10.0])


def test_natural_breaks_find_the_three_clusters():
    values = [31.0, 1.0, 12.0, 2.0, 30.0, 3.0, 10.0, 11.0, 32.0]
    assert natural_breaks(values, 3) == [1.0, 3.0, 12.0, 32.0]


def _sdcm(groups: list[list[float]]) -> float:
    return sum(float(np.sum((np.array(g) - np.mean(g)) ** 2)) for g in groups)


def test_natural_breaks_are_the_least_squared_deviation_of_every_way_to_cut_the_sorted_values():
    values = sorted(np.random.default_rng(7).lognormal(3.0, 0.8, 13).round(2).tolist())
    best = min(
        _sdcm([values[a:b] for a, b in zip((0, *cuts), (*cuts, len(values)), strict=True)])
        for cuts in combinations(range(1, len(values)), 3)
    )
    bounds = natural_breaks(values, 4)
    groups = [[v for v in values if (low < v or i == 0 and v == low) and v <= high]
              for i, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False))]
    assert sum(map(len, groups)) == len(values) and _sdcm(groups) == pytest.approx(best)


def test_the_classes_state_their_bounds_counts_and_colours_green_for_the_better_end():
    classes, of = classify(TEN, 5, "quantiles", "higher_better")
    assert [c["count"] for c in classes] == [2, 2, 2, 2, 2]
    assert [(c["lower"], c["upper"]) for c in classes] == [
        pytest.approx(bounds) for bounds in ((1.0, 2.8), (2.8, 4.6), (4.6, 6.4), (6.4, 8.2), (8.2, 10.0))]
    assert classes[0]["color"] == "#d7191c" and classes[-1]["color"] == "#1a9641"
    assert [of(v) for v in (1.0, 2.8, 2.81, 10.0)] == [0, 0, 1, 4] and of(None) is None
    lower_better, _ = classify(TEN, 5, "jenks", "lower_better")
    assert lower_better[0]["color"] == "#1a9641" and lower_better[-1]["color"] == "#d7191c"


def test_fewer_distinct_values_than_classes_give_fewer_classes_and_unknown_methods_are_refused():
    classes, of = classify([5.0, 5.0, 7.0, None], 5, "jenks", "higher_better")
    assert [(c["lower"], c["upper"], c["count"]) for c in classes] == [(5.0, 5.0, 2), (5.0, 7.0, 1)]
    assert classify([], 5, "quantiles", "higher_better")[0] == []
    with pytest.raises(BadClassification) as refused:
        classify(TEN, 5, "equal", "higher_better")
    assert "method" in refused.value.message("vi") and "quantiles" in refused.value.message("en")


def test_the_ranking_puts_the_better_first_by_direction_ties_share_a_rank_and_blanks_come_last():
    rows = [{"code": c, "name": c, "value": v} for c, v in (("a", 3.0), ("b", None), ("c", 9.0), ("d", 3.0))]
    assert [(r["code"], r["rank"]) for r in rank(rows, "higher_better")] == [
        ("c", 1), ("a", 2), ("d", 2), ("b", None)]
    assert [(r["code"], r["rank"]) for r in rank(rows, "lower_better")] == [
        ("a", 1), ("d", 1), ("c", 3), ("b", None)]
