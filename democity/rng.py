"""Reproducible randomness: an independent stream per part of the demo city, and weighted draws."""

from __future__ import annotations

import zlib
from collections.abc import Mapping

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """A generator for the part `name`; the same (seed, name) always gives the same numbers."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def choose(rng: np.random.Generator, shares: Mapping[str, float], n: int) -> np.ndarray:
    """n keys of `shares` drawn with probabilities proportional to their values."""
    keys = np.asarray(list(shares), dtype=object)
    weights = np.asarray(list(shares.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=weights / weights.sum())]
