"""Deterministic noise fields (smooth value noise and grain) that give rasters a natural texture."""

from __future__ import annotations

import numpy as np
from PIL import Image


def smooth(shape: tuple[int, int], cell: int, rng: np.random.Generator) -> np.ndarray:
    """Value noise in about [-1, 1] varying over `cell` pixels (bicubic between random knots)."""
    height, width = shape
    knots = rng.uniform(-1.0, 1.0, (height // cell + 2, width // cell + 2)).astype(np.float32)
    size = (knots.shape[1] * cell, knots.shape[0] * cell)
    field = np.asarray(Image.fromarray(knots).resize(size, Image.Resampling.BICUBIC))
    return field[:height, :width]


def fractal(shape: tuple[int, int], cells: tuple[int, ...], weights: tuple[float, ...],
            seed: int) -> np.ndarray:
    """A weighted sum of smooth noise at several scales (float32)."""
    rng = np.random.default_rng(seed)
    total = np.zeros(shape, dtype=np.float32)
    for cell, weight in zip(cells, weights, strict=True):
        total += np.float32(weight) * smooth(shape, cell, rng)
    return total


def grain(shape: tuple[int, int], seed: int) -> np.ndarray:
    """Per-pixel standard normal noise (float32), like sensor or paper grain."""
    return np.random.default_rng(seed).standard_normal(shape, dtype=np.float32)
