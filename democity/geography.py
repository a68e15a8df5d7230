"""Natural geography of the demo city: its outline, the Red River, lakes, ponds and streams."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from democity.names import slug

OUTLINE_CENTRE, OUTLINE_RADII = (300.0, -500.0), (6300.0, 5000.0)

# (name, water type, centre u/v in metres, radii in metres): lakes and ponds off the river.
STILL_WATERS = (
    ("Hồ Nam Cường", "lake", (-2300.0, -1750.0), (240.0, 150.0)),
    ("Hồ Yên Hòa", "lake", (1650.0, -2250.0), (170.0, 115.0)),
    ("Hồ Hợp Minh", "lake", (900.0, 1450.0), (140.0, 95.0)),
    ("Ao Tuy Lộc", "pond", (-2650.0, -3900.0), (70.0, 48.0)),
    ("Ao Minh Bảo", "pond", (-300.0, -4350.0), (62.0, 44.0)),
    ("Ao Âu Lâu", "pond", (3850.0, 2400.0), (60.0, 42.0)),
    ("Ao Văn Tiến", "pond", (-4650.0, -3750.0), (55.0, 40.0)),
    ("Ao Giới Phiên", "pond", (-1850.0, 2650.0), (60.0, 45.0)),
    ("Ao Tân Thịnh", "pond", (3350.0, -4300.0), (70.0, 50.0)),
)
# (name, source u/v, u of the mouth on the river, width in metres): streams down to the river.
STREAMS = (
    ("Ngòi Văn Tiến", (-5300.0, -5000.0), -4300.0, 14.0),
    ("Suối Hợp Minh", (2700.0, 4300.0), 2100.0, 12.0),
    ("Suối Tân Thịnh", (4600.0, -5200.0), 5200.0, 10.0),
)


@dataclass(frozen=True)
class WaterBody:
    code: str
    name: str
    water_type: str
    geometry: Polygon


@dataclass(frozen=True)
class River:
    """The Red River: a gently meandering centreline and a band 300–400 m wide."""

    phases: tuple[float, float, float]

    def centre(self, u: np.ndarray) -> np.ndarray:
        """The v of the river's centreline at u."""
        a, b, _ = self.phases
        return 240.0 * np.sin(2 * np.pi * u / 9000.0 + a) + 80.0 * np.sin(2 * np.pi * u / 3700.0 + b)

    def width(self, u: np.ndarray) -> np.ndarray:
        """The river's width (metres) at u."""
        return 345.0 + 40.0 * np.sin(2 * np.pi * u / 5200.0 + self.phases[2])

    def bank(self, u: np.ndarray, side: str, offset: float = 0.0) -> np.ndarray:
        """The v of a bank ('left' or 'right'), moved `offset` metres away from the water."""
        half = self.width(u) / 2.0 + offset
        return self.centre(u) + half if side == "left" else self.centre(u) - half

    def polygon(self, u_min: float, u_max: float) -> Polygon:
        """The water surface between u_min and u_max."""
        u = np.arange(u_min, u_max + 1.0, 50.0)
        left, right = self.bank(u, "left"), self.bank(u, "right")
        return Polygon(np.concatenate([np.column_stack([u, right]), np.column_stack([u, left])[::-1]]))


@dataclass(frozen=True)
class Geography:
    outline: Polygon
    left_half: Polygon  # north-east of the river's centreline (left bank)
    right_half: Polygon
    river: River
    water: tuple[WaterBody, ...]
    # the streams' centrelines (name, line, width in metres), whose channels are water bodies too
    streams: tuple[tuple[str, LineString, float], ...] = ()

    @property
    def river_surface(self) -> Polygon:
        """The river's water surface (the first water body)."""
        return self.water[0].geometry

    def still_and_streams(self) -> list[Polygon]:
        """Every water surface but the river."""
        return [w.geometry for w in self.water[1:]]


def blob(
    rng: np.random.Generator,
    centre: tuple[float, float],
    radii: tuple[float, float],
    *,
    squareness: float = 2.0,
    wobble: float = 0.05,
    n: int = 96,
) -> Polygon:
    """A smooth closed shape: a superellipse with a little low-frequency radial noise."""
    t = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    x = np.sign(c) * np.abs(c) ** (2.0 / squareness) * radii[0]
    y = np.sign(s) * np.abs(s) ** (2.0 / squareness) * radii[1]
    noise = np.ones(n)
    for k in range(1, 5):
        noise += wobble / k * np.sin(k * t + rng.uniform(0, 2 * np.pi))
    return Polygon(np.column_stack([centre[0] + x * noise, centre[1] + y * noise]))


def _chaikin(points: np.ndarray, rounds: int = 3) -> np.ndarray:
    for _ in range(rounds):
        a, b = points[:-1], points[1:]
        inner = np.empty((2 * len(a), 2))
        inner[0::2], inner[1::2] = 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b
        points = np.vstack([points[:1], inner, points[-1:]])
    return points


def _stream(
    rng: np.random.Generator, river: River, source: tuple[float, float], mouth_u: float
) -> LineString:
    """A stream's centreline from its source to its mouth on the river's centreline."""
    mouth = np.array([mouth_u, float(river.centre(np.array([mouth_u]))[0])])
    start = np.array(source)
    steps = np.linspace(0.0, 1.0, 9)[:, None]
    path = start + steps * (mouth - start)
    normal = np.array([-(mouth - start)[1], (mouth - start)[0]]) / np.linalg.norm(mouth - start)
    swing = rng.normal(0.0, 160.0, len(path)) * np.sin(np.pi * steps[:, 0])
    path = path + swing[:, None] * normal
    return LineString(_chaikin(path))


def build_geography(rng: np.random.Generator) -> Geography:
    """The outline (about 12.6 × 10 km), the river through it, and the other water bodies."""
    river = River(tuple(rng.uniform(0, 2 * np.pi, 3)))
    outline = blob(rng, OUTLINE_CENTRE, OUTLINE_RADII, squareness=2.4, wobble=0.09, n=180)
    u = np.arange(-30000.0, 30001.0, 50.0)
    upper = Polygon([*zip(u, river.centre(u), strict=True), (30000.0, 40000.0), (-30000.0, 40000.0)])
    left_half, right_half = outline.intersection(upper), outline.difference(upper)
    surface = river.polygon(-9000.0, 9500.0).intersection(outline.buffer(1500.0))
    water = [WaterBody("SONG-HONG", "Sông Hồng", "river", surface)]
    for name, kind, centre, radii in STILL_WATERS:
        water.append(WaterBody(slug(name), name, kind, blob(rng, centre, radii, wobble=0.12, n=40)))
    streams = []
    for name, source, mouth_u, width in STREAMS:
        line = _stream(rng, river, source, mouth_u)
        channel = line.buffer(width / 2.0, cap_style="flat").difference(surface).intersection(outline)
        water.append(WaterBody(slug(name), name, "stream", channel))
        streams.append((name, line, width))
    return Geography(outline, left_half, right_half, river, tuple(water), tuple(streams))


def largest_part(geometry: shapely.Geometry) -> Polygon:
    """The largest polygon of a (multi)polygon or collection."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    return max(parts, key=lambda p: p.area)
