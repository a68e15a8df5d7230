"""An orthophoto-like RGB image of the demo city, painted from its parcels, water and roads."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from tiles.raster import city, noise
from tiles.raster.canvas import RasterGrid
from tiles.raster.rendered import Rendered, shade

logger = logging.getLogger(__name__)

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Cover:
    """A land cover: each parcel gets a colour between `light` and `dark`; texture and grain vary it."""

    name: str
    light: RGB
    dark: RGB
    texture: float  # amplitude of the multi-scale (canopy, field) noise
    grain: float  # amplitude of per-pixel noise


COVERS: tuple[Cover, ...] = (
    Cover("bare_ground", (150, 138, 112), (118, 112, 94), 0.10, 0.05),  # no parcel: verges, yards
    Cover("paddy", (146, 150, 88), (96, 124, 72), 0.08, 0.03),
    Cover("crops", (164, 150, 100), (120, 130, 78), 0.12, 0.04),
    Cover("orchard", (102, 118, 66), (70, 92, 52), 0.30, 0.06),
    Cover("forest", (64, 88, 50), (40, 66, 40), 0.38, 0.07),
    Cover("fishpond", (98, 122, 104), (70, 100, 92), 0.05, 0.02),
    Cover("roofs", (176, 122, 98), (150, 148, 142), 0.16, 0.12),
    Cover("village", (140, 118, 88), (96, 108, 70), 0.28, 0.10),
    Cover("institutional", (196, 190, 178), (160, 156, 146), 0.08, 0.08),
    Cover("industrial", (182, 184, 186), (140, 142, 146), 0.06, 0.06),
    Cover("cemetery", (180, 174, 160), (140, 146, 122), 0.14, 0.10),
    Cover("bare_soil", (184, 158, 120), (160, 136, 102), 0.10, 0.05),
    Cover("river", (108, 112, 90), (88, 102, 90), 0.03, 0.01),  # Sông Hồng: silty green-brown
    Cover("lake", (66, 104, 104), (52, 88, 94), 0.03, 0.01),
    Cover("sidewalk", (172, 168, 160), (160, 156, 148), 0.02, 0.05),
    Cover("asphalt", (122, 122, 120), (104, 104, 104), 0.02, 0.04),
)
COVER = {cover.name: index for index, cover in enumerate(COVERS)}

# land-use code (layers.vocabularies.LAND_USE) → cover; codes not listed are institutional.
LAND_USE_COVER = {
    "LUC": "paddy", "LUK": "paddy", "BHK": "crops", "CLN": "orchard", "RSX": "forest", "RPH": "forest",
    "NTS": "fishpond", "DTL": "fishpond", "SON": "lake", "MNC": "lake", "ODT": "roofs", "ONT": "village",
    "SKC": "industrial", "SKK": "industrial", "DGT": "asphalt", "NTD": "cemetery", "BCS": "bare_soil",
}
WATER_COVER = {"river": "river", "stream": "river", "lake": "lake", "pond": "lake"}
# carriageway width as a share of the right of way; default right of way by class (metres)
CARRIAGEWAY_SHARE = 0.7
DEFAULT_WIDTH_M = {"national": 24.0, "provincial": 16.0, "urban_main": 18.0, "urban": 12.0, "alley": 5.0}
EDGE_DARKENING = np.float32(0.84)  # field bunds and lot boundaries
TEXTURE_CELLS_M = (96.0, 24.0, 6.0)  # field patches, tree groups, crowns (ground-ish metres)
TEXTURE_WEIGHTS = (0.5, 0.3, 0.2)
LIGHTING_CELL_M = 800.0  # slow changes of light and moisture across the image
SEED = 2025


def _road_areas(grid: RasterGrid) -> list[tuple]:
    """Every road's right of way as sidewalk, then every carriageway over them (value = cover + 1)."""
    scale = grid.map_units_per_metre
    roads = city.roads()
    areas = []
    for cover, share in (("sidewalk", 1.0), ("asphalt", CARRIAGEWAY_SHARE)):
        for road in roads:
            width = (road.width_m or DEFAULT_WIDTH_M.get(road.road_class, 6.0)) * scale * share
            areas.append((road.geom.buffer(width / 2, cap_style="flat"), COVER[cover] + 1))
    return areas


def _boundaries(index: np.ndarray) -> np.ndarray:
    """True where a pixel's parcel differs from its left or upper neighbour's."""
    edges = np.zeros(index.shape, dtype=bool)
    edges[:, 1:] |= index[:, 1:] != index[:, :-1]
    edges[1:, :] |= index[1:, :] != index[:-1, :]
    return edges


def _covers_and_tones(grid: RasterGrid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pixel: cover index, parcel tone (0–255), and whether it lies on a parcel boundary."""
    parcels = city.parcels()
    index = grid.burn(((p.geom, number) for number, p in enumerate(parcels, start=1)), dtype="int32")
    covers_by_parcel = [COVER[LAND_USE_COVER.get(p.land_use, "institutional")] for p in parcels]
    cover_of = np.array([COVER["bare_ground"], *covers_by_parcel], dtype=np.uint8)
    tone_of = np.array([128] + [p.tone for p in parcels], dtype=np.uint8)
    covers, tones, edges = cover_of[index], tone_of[index], _boundaries(index)
    del index
    bodies = city.water()
    water = grid.burn((w.geom, COVER[WATER_COVER.get(w.water_type, "lake")] + 1) for w in bodies)
    paved = grid.burn(_road_areas(grid))
    for layer in (water, paved):
        covers = np.where(layer > 0, layer - 1, covers).astype(np.uint8)
        edges[layer > 0] = False
    return covers, tones, edges


def _cells(grid: RasterGrid, *metres: float) -> tuple[int, ...]:
    return tuple(max(1, round(m / grid.resolution)) for m in metres)


def _brightness(grid: RasterGrid, covers: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Per-pixel brightness factor around 1: texture and grain by cover, lighting, darker boundaries."""
    texture = np.array([c.texture for c in COVERS], dtype=np.float32)
    grain = np.array([c.grain for c in COVERS], dtype=np.float32)
    fractal = noise.fractal(grid.shape, _cells(grid, *TEXTURE_CELLS_M), TEXTURE_WEIGHTS, SEED)
    factor = np.float32(1.0) + texture[covers] * fractal
    del fractal
    factor += grain[covers] * noise.grain(grid.shape, SEED + 1)
    (lighting,) = _cells(grid, LIGHTING_CELL_M)
    factor += np.float32(0.06) * noise.smooth(grid.shape, lighting, np.random.default_rng(SEED + 2))
    factor[edges] *= EDGE_DARKENING
    return factor


def render(grid: RasterGrid) -> Rendered:
    """Paint the city on `grid`: parcels by land cover, water, roads, texture; transparent outside."""
    covers, tones, edges = _covers_and_tones(grid)
    factor = _brightness(grid, covers, edges)
    del edges
    mix = tones.astype(np.float32) / np.float32(255)
    del tones
    light = np.array([c.light for c in COVERS], dtype=np.float32)
    dark = np.array([c.dark for c in COVERS], dtype=np.float32)
    inside = grid.burn((geom, 255) for geom in city.outline())
    rgb = np.empty((3, *grid.shape), dtype=np.uint8)
    for band in range(3):
        base = light[covers, band] + (dark[covers, band] - light[covers, band]) * mix
        rgb[band] = shade(base, factor)
    rgb[:, inside == 0] = 0
    return Rendered(grid=grid, rgb=rgb, mask=inside)
