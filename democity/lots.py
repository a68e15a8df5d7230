"""Cutting a block into lots: rows along its streets, lots across each row, and their land use."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from democity.rng import choose


@dataclass(frozen=True)
class Pattern:
    """Depths and widths (metres) of the lots of one block class."""

    front_depth: tuple[float, float]
    front_width: tuple[float, float]
    inner_depth: tuple[float, float]
    inner_width: tuple[float, float]
    settled_front: float  # chance that a street side of the block is lined with houses


PATTERNS = {
    "dense": Pattern((16, 24), (4.5, 9), (16, 24), (6, 12), 1.0),
    "suburban": Pattern((22, 30), (10, 16), (35, 60), (40, 90), 0.9),
    "field": Pattern((30, 45), (18, 30), (55, 95), (50, 120), 0.3),
    "hill": Pattern((35, 50), (20, 32), (130, 230), (130, 280), 0.25),
}
# Land-use shares by block class and row ('front' rows face a street, 'inner' rows do not).
USES: dict[tuple[str, str], dict[str, float]] = {
    ("dense", "front"): {"ODT": 86, "TMD": 12, "SKC": 1, "DVH": 1},
    ("dense", "inner"): {"ODT": 97, "TMD": 2, "DVH": 1},
    ("suburban", "front"): {"ODT": 84, "TMD": 8, "CLN": 4, "SKC": 3, "BCS": 1},
    ("suburban", "inner"): {"ODT": 55, "CLN": 28, "BHK": 10, "NTS": 5, "BCS": 2},
    ("field", "front"): {"ONT": 62, "CLN": 28, "BHK": 8, "TMD": 2},
    ("field", "inner"): {"LUC": 50, "LUK": 14, "BHK": 12, "NTS": 8, "CLN": 14, "BCS": 2},
    ("hill", "front"): {"ONT": 50, "CLN": 40, "BHK": 10},
    ("hill", "inner"): {"RSX": 55, "CLN": 34, "RPH": 5, "BHK": 5, "BCS": 1},
}
OWNERS: dict[str, dict[str, float]] = {
    "TMD": {"GDC": 70, "TCC": 25, "TVN": 5},
    "SKC": {"GDC": 30, "TCC": 55, "TVN": 15},
    "RSX": {"GDC": 70, "TCC": 30},
    "RPH": {"TKQ": 100},
    "LUC": {"GDC": 95, "UBS": 5},
    "LUK": {"GDC": 92, "UBS": 8},
    "NTS": {"GDC": 88, "UBS": 12},
    "BCS": {"UBS": 100},
    "DVH": {"UBS": 100},
}


def _cuts(rng: np.random.Generator, start: float, stop: float, size: tuple[float, float]) -> np.ndarray:
    """Edges from start to stop in steps of about `size` (jittered, always ending at stop)."""
    n = max(1, round((stop - start) / np.mean(size)))
    steps = rng.uniform(size[0], size[1], n)
    return start + (stop - start) * np.concatenate([[0.0], np.cumsum(steps) / steps.sum()])


def _rows(
    rng: np.random.Generator, v0: float, v1: float, top: bool, bottom: bool, pattern: Pattern
) -> list[tuple[float, float, str]]:
    depth = v1 - v0
    dt = rng.uniform(*pattern.front_depth) if top else 0.0
    db = rng.uniform(*pattern.front_depth) if bottom else 0.0
    if dt + db > 0.8 * depth:
        if top and bottom:
            return [(v0, (v0 + v1) / 2, "bottom"), ((v0 + v1) / 2, v1, "top")]
        return [(v0, v1, "top" if top else "bottom" if bottom else "inner")]
    rows = [(v0, v0 + db, "bottom")] if bottom else []
    edges = _cuts(rng, v0 + db, v1 - dt, pattern.inner_depth)
    rows += [(a, b, "inner") for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return rows + ([(v1 - dt, v1, "top")] if top else [])


def subdivide(
    rng: np.random.Generator, rect: tuple[float, float, float, float], top: bool, bottom: bool, cls: str
) -> tuple[np.ndarray, np.ndarray]:
    """Lots of a block rectangle (u0, u1, v0, v1): an (n, 4) array of rectangles and their rows."""
    pattern = PATTERNS[cls]
    top &= rng.random() < pattern.settled_front
    bottom &= rng.random() < pattern.settled_front
    u0, u1, v0, v1 = rect
    boxes, rows = [], []
    for a, b, row in _rows(rng, v0, v1, top, bottom, pattern):
        width = pattern.inner_width if row == "inner" else pattern.front_width
        edges = _cuts(rng, u0, u1, width)
        boxes.append(
            np.column_stack([edges[:-1], edges[1:], np.full(len(edges) - 1, a), np.full(len(edges) - 1, b)])
        )
        rows += [row] * (len(edges) - 1)
    return np.vstack(boxes), np.asarray(rows, dtype=object)


def land_uses(rng: np.random.Generator, cls: np.ndarray, row: np.ndarray, urban: np.ndarray) -> np.ndarray:
    """Land-use code of each lot from its block class and row; residential land follows the unit type."""
    out = np.empty(len(cls), dtype=object)
    front = np.where(row == "inner", "inner", "front")
    for (c, r), shares in USES.items():
        mask = (cls == c) & (front == r)
        out[mask] = choose(rng, shares, int(mask.sum()))
    out[(out == "ONT") & urban] = "ODT"
    out[(out == "ODT") & ~urban] = "ONT"
    return out


def owner_types(rng: np.random.Generator, land_use: np.ndarray) -> np.ndarray:
    """Owner-type code of each lot: households mostly, organisations for business and forest land."""
    out = np.full(len(land_use), "GDC", dtype=object)
    for code, shares in OWNERS.items():
        mask = land_use == code
        out[mask] = choose(rng, shares, int(mask.sum()))
    return out
