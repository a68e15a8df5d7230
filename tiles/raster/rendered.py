"""What a raster renderer returns: RGB bands and an optional validity mask on a grid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tiles.raster.canvas import RasterGrid


@dataclass(frozen=True)
class Rendered:
    """`rgb` is uint8 (3, height, width); `mask` is uint8 (height, width), 255 = data, or None = all data."""

    grid: RasterGrid
    rgb: np.ndarray
    mask: np.ndarray | None = None


def shade(base: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """`base` (float, 0–255) times `factor`, clipped into uint8."""
    return np.clip(base * factor, 0, 255).astype(np.uint8)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """'#F7C6D9' → (247, 198, 217)."""
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
