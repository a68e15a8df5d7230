"""A "scanned" zoning plan: plan colours with black outlines and zone codes on tinted, grainy paper."""

from __future__ import annotations

import logging

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

from layers.vocabularies import WATER_TYPE, ZONE_FUNCTION
from tiles.raster import city, noise
from tiles.raster.canvas import RasterGrid
from tiles.raster.rendered import Rendered, hex_rgb, shade

logger = logging.getLogger(__name__)

PAPER = (238, 230, 206)
INK = (34, 31, 29)
LABEL_MIN_AREA_PX = 2500  # zones smaller than this (about 50 × 50 px) get no code
LABEL_SIZE_PX = 13
SCAN_BLUR_PX = 0.6
SEED = 2026


def _palette() -> np.ndarray:
    """Row 0 is bare paper, row 1 water, row i + 2 ZONE_FUNCTION's i-th colour, all printed on paper."""
    paper = np.array(PAPER, dtype=np.float32)
    colours = [WATER_TYPE["river"].color, *(term.color for term in ZONE_FUNCTION.terms)]
    inks = [np.array(hex_rgb(colour), dtype=np.float32) * paper / 255 for colour in colours]
    return np.vstack([paper, *inks])


def _font() -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    if features.check("freetype2"):
        return ImageFont.load_default(size=LABEL_SIZE_PX)
    return ImageFont.load_default()


def _label(image: Image.Image, grid: RasterGrid, zones: list[city.ZoneShape]) -> None:
    draw, font = ImageDraw.Draw(image), _font()
    min_area = LABEL_MIN_AREA_PX * grid.resolution**2
    for zone in zones:
        if zone.geom.area >= min_area and zone.zone_code:
            spot = zone.geom.representative_point()
            draw.text(grid.pixel(spot.x, spot.y), zone.zone_code, fill=INK, font=font, anchor="mm")


def _paper_factor(grid: RasterGrid) -> np.ndarray:
    """Uneven scan lighting: slow blotches, darker towards the edges, and grain."""
    height, width = grid.shape
    rows = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    cols = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    factor = np.float32(1.0) - np.float32(0.05) * (rows**2 + cols**2)
    factor += np.float32(0.03) * noise.smooth(grid.shape, 300, np.random.default_rng(SEED))
    factor += np.float32(0.025) * noise.grain(grid.shape, SEED + 1)
    return factor


def render(grid: RasterGrid) -> Rendered:
    """Paint water, then every zone of every plan (newer plans on top), as a scanned paper map."""
    zones = city.zones()
    index = {term.code: position + 2 for position, term in enumerate(ZONE_FUNCTION.terms)}
    shapes = [(body.geom, 1) for body in city.water()]
    functions = grid.burn(shapes + [(zone.geom, index.get(zone.function, 0)) for zone in zones])
    outlines = grid.burn(((zone.geom.boundary, 1) for zone in zones), all_touched=True)
    palette = _palette()
    factor = _paper_factor(grid)
    rgb = np.empty((3, *grid.shape), dtype=np.uint8)
    for band in range(3):
        rgb[band] = shade(palette[functions, band], factor)
        rgb[band][outlines > 0] = INK[band]
    image = Image.fromarray(np.ascontiguousarray(rgb.transpose(1, 2, 0)))
    _label(image, grid, zones)
    image = image.filter(ImageFilter.GaussianBlur(SCAN_BLUR_PX))
    return Rendered(grid=grid, rgb=np.asarray(image).transpose(2, 0, 1).copy())
