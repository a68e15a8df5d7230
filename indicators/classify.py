"""What an indicator choropleth and a ranking draw: classes of values by quantiles or natural breaks
(Fisher–Jenks), each with its bounds, count and colour, and units ranked by the indicator's direction.

A class holds the values above its lower bound up to its upper bound (the first one its lower bound too),
so every value falls in exactly one class and the legend states the bounds as drawn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from indicators.errors import BadParameter

logger = logging.getLogger(__name__)
METHODS = ("quantiles", "jenks")
MAX_CLASSES = 7
# ColorBrewer RdYlGn, from the worse end (red) to the better (green), by number of classes
RAMPS = {
    1: ("#a6d96a",),
    2: ("#fc8d59", "#91cf60"),
    3: ("#fc8d59", "#ffffbf", "#91cf60"),
    4: ("#d7191c", "#fdae61", "#a6d96a", "#1a9641"),
    5: ("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"),
    6: ("#d73027", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850"),
    7: ("#d73027", "#fc8d59", "#fee08b", "#ffffbf", "#d9ef8b", "#91cf60", "#1a9850"),
}


class BadClassification(BadParameter):
    """400: an unknown method or a number of classes out of range."""


def quantile_breaks(values: Sequence[float], k: int) -> list[float]:
    """k + 1 bounds: the minimum, the i/k quantiles (linear interpolation, as numpy), the maximum."""
    return [float(b) for b in np.quantile(np.asarray(values, dtype=float), np.linspace(0.0, 1.0, k + 1))]


def natural_breaks(values: Sequence[float], k: int) -> list[float]:
    """k + 1 bounds: the minimum, then the largest value of each of the k classes that together have
    the least sum of squared deviations from their class means (Fisher's exact optimisation, the
    natural breaks of Jenks), by dynamic programming over the sorted values: O(k·n²)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    k = min(k, n)
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))

    def ssd(first: np.ndarray, last: int) -> np.ndarray:
        """Squared deviations of x[first..last] (inclusive) for each of the firsts."""
        count = last - first + 1
        total = s1[last + 1] - s1[first]
        return s2[last + 1] - s2[first] - total * total / count

    # cost[m][j]: the least deviation of x[0..j] in m + 1 classes; start[m][j]: where its last class begins
    cost = np.full((k, n), np.inf)
    start = np.zeros((k, n), dtype=int)
    cost[0] = ssd(np.zeros(n, dtype=int), 0) if n == 1 else [ssd(np.array([0]), j)[0] for j in range(n)]
    for m in range(1, k):
        for j in range(m, n):
            firsts = np.arange(m, j + 1)
            found = cost[m - 1][firsts - 1] + ssd(firsts, j)
            best = int(np.argmin(found))
            cost[m][j], start[m][j] = found[best], firsts[best]
    uppers, j = [], n - 1
    for m in range(k - 1, -1, -1):
        uppers.append(float(x[j]))
        j = start[m][j] - 1
    return [float(x[0]), *reversed(uppers)]


BREAKS: dict[str, Callable[[Sequence[float], int], list[float]]] = {
    "quantiles": quantile_breaks,
    "jenks": natural_breaks,
}


def classify(
    values: Sequence[float | None], k: int, method: str, direction: str
) -> tuple[list[dict], Callable[[float | None], int | None]]:
    """The classes of the known `values` ([{lower, upper, count, color}], low to high; fewer than `k`
    when fewer distinct values) and a function giving a value's class index (None for no value).
    Colours run from red at the worse end to green at the better one, by `direction`."""
    if method not in BREAKS:
        raise BadClassification(
            f"method: «{method}» không phải cách phân lớp ({', '.join(METHODS)})",
            f"method: {method!r} is no classification method ({', '.join(METHODS)})",
        )
    if not 1 <= k <= MAX_CLASSES:
        raise BadClassification(
            f"classes: số lớp phải từ 1 đến {MAX_CLASSES}", f"classes: from 1 to {MAX_CLASSES} classes"
        )
    known = [float(v) for v in values if v is not None]
    if not known:
        return [], lambda value: None
    k = min(k, len(set(known)))
    bounds = BREAKS[method](known, k)
    uppers = sorted(set(bounds[1:]))  # tied values: one class (the first may hold the minimum only)
    bounds = [bounds[0], *uppers]

    def of(value: float | None) -> int | None:
        if value is None:
            return None
        return min(int(np.searchsorted(uppers, value, side="left")), len(uppers) - 1)

    ramp = RAMPS[len(uppers)]
    colours = ramp if direction == "higher_better" else ramp[::-1]
    counts = np.bincount([of(v) for v in known], minlength=len(uppers))
    classes = [
        {"lower": low, "upper": high, "count": int(counts[i]), "color": colours[i]}
        for i, (low, high) in enumerate(pairwise(bounds))
    ]
    return classes, of


def rank(rows: list[dict], direction: str, key: str = "value") -> list[dict]:
    """`rows` with a `rank`, best first by `direction` (ties share a rank: 1, 2, 2, 4); rows without a
    value last, unranked, by name."""
    known = [row for row in rows if row.get(key) is not None]
    blank = sorted((row for row in rows if row.get(key) is None), key=lambda row: row.get("name", ""))
    known.sort(key=lambda row: (-row[key] if direction == "higher_better" else row[key], row.get("name", "")))
    ranked = []
    for index, row in enumerate(known):
        tied = index and row[key] == known[index - 1][key]
        ranked.append({**row, "rank": ranked[-1]["rank"] if tied else index + 1})
    return ranked + [{**row, "rank": None} for row in blank]
