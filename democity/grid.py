"""Street grids: lines of constant u (across the river) and v (along it), with the cells between."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString

WIDTH_M = {"national": 28.0, "provincial": 16.0, "urban_main": 20.0, "urban": 12.0, "alley": 6.0}
# Share of the segments between two crossings that exist, by road class: alleys break off.
KEEP_SEGMENT = {"alley": 0.72}


@dataclass(frozen=True)
class GridSpec:
    """How to lay out one grid: spans and spacings in metres, and the lines it must contain."""

    name: str
    u_span: tuple[float, float]
    v_span: tuple[float, float]
    u_spacing: float
    v_spacing: float
    default_class: str
    forced_u: dict[float, str]  # position → road class
    forced_v: dict[float, str]
    main_every: int = 0  # every n-th line is an urban main street (0: none)


@dataclass(frozen=True)
class Grid:
    """Line positions, classes and widths, and which segments between crossings exist."""

    name: str
    u: np.ndarray
    v: np.ndarray
    u_class: np.ndarray
    v_class: np.ndarray
    u_seg: np.ndarray  # (len(u), len(v) - 1): segment of u-line i between v[j] and v[j + 1]
    v_seg: np.ndarray  # (len(v), len(u) - 1)

    @property
    def u_width(self) -> np.ndarray:
        return np.array([WIDTH_M[c] for c in self.u_class])

    @property
    def v_width(self) -> np.ndarray:
        return np.array([WIDTH_M[c] for c in self.v_class])

    def line(self, axis: str, k: int) -> MultiLineString:
        """The existing segments of line k of an axis ('u' or 'v'), merged."""
        pos, other, seg = (self.u, self.v, self.u_seg) if axis == "u" else (self.v, self.u, self.v_seg)
        parts = [
            ((pos[k], other[j]), (pos[k], other[j + 1]))
            if axis == "u"
            else ((other[j], pos[k]), (other[j + 1], pos[k]))
            for j in np.flatnonzero(seg[k])
        ]
        merged = shapely.line_merge(MultiLineString(parts)) if parts else MultiLineString()
        return merged if merged.geom_type == "MultiLineString" else MultiLineString([merged])


def _positions(
    rng: np.random.Generator, span: tuple[float, float], spacing: float, anchors: list[float]
) -> np.ndarray:
    marks = sorted({span[0], span[1], *[a for a in anchors if span[0] < a < span[1]]})
    out: list[float] = []
    for a, b in zip(marks[:-1], marks[1:], strict=True):
        n = max(1, round((b - a) / spacing))
        steps = rng.uniform(0.8, 1.2, n)
        out.extend([a, *(a + (b - a) * np.cumsum(steps)[:-1] / steps.sum())])
    return np.array([*out, span[1]])


def _classes(
    rng: np.random.Generator, pos: np.ndarray, spec: GridSpec, forced: dict[float, str]
) -> np.ndarray:
    classes = np.full(len(pos), spec.default_class, dtype=object)
    if spec.main_every:
        index = np.arange(len(pos))
        classes[index % spec.main_every == 2] = "urban_main"
        classes[(classes == "urban") & (rng.random(len(pos)) < 0.3)] = "alley"
    for at, road_class in forced.items():
        classes[np.isclose(pos, at)] = road_class
    return classes


def make_grid(rng: np.random.Generator, spec: GridSpec) -> Grid:
    """A grid laid out by `spec`; alley segments are dropped at random, other roads run through."""
    u = _positions(rng, spec.u_span, spec.u_spacing, list(spec.forced_u))
    v = _positions(rng, spec.v_span, spec.v_spacing, list(spec.forced_v))
    u_class, v_class = _classes(rng, u, spec, spec.forced_u), _classes(rng, v, spec, spec.forced_v)
    keep_u = np.array([KEEP_SEGMENT.get(c, 1.0) for c in u_class])[:, None]
    keep_v = np.array([KEEP_SEGMENT.get(c, 1.0) for c in v_class])[:, None]
    u_seg = rng.random((len(u), len(v) - 1)) < keep_u
    v_seg = rng.random((len(v), len(u) - 1)) < keep_v
    return Grid(spec.name, u, v, u_class, v_class, u_seg, v_seg)


def cells(grid: Grid) -> pd.DataFrame:
    """One row per cell: indices, the rectangle left between the road edges, which sides front a road."""
    i, j = np.meshgrid(np.arange(len(grid.u) - 1), np.arange(len(grid.v) - 1), indexing="ij")
    i, j = i.ravel(), j.ravel()
    left, right = grid.u_seg[i, j], grid.u_seg[i + 1, j]
    bottom, top = grid.v_seg[j, i], grid.v_seg[j + 1, i]
    uw, vw = grid.u_width / 2.0, grid.v_width / 2.0
    return pd.DataFrame(
        {
            "grid": grid.name,
            "i": i,
            "j": j,
            "u0": grid.u[i] + np.where(left, uw[i], 0.0),
            "u1": grid.u[i + 1] - np.where(right, uw[i + 1], 0.0),
            "v0": grid.v[j] + np.where(bottom, vw[j], 0.0),
            "v1": grid.v[j + 1] - np.where(top, vw[j + 1], 0.0),
            "front_bottom": bottom,
            "front_top": top,
        }
    )


def straight_line(axis: str, at: float, span: tuple[float, float]) -> LineString:
    """A straight line of constant u (axis 'u') or v across `span` of the other coordinate."""
    a, b = span
    return LineString([(at, a), (at, b)]) if axis == "u" else LineString([(a, at), (b, at)])
