"""Generating the raster COGs from the database: one call per layer, skipped when already on disk."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.module_loading import import_string

from tiles.raster import city
from tiles.raster.canvas import RasterGrid
from tiles.raster.catalog import RASTERS, RasterLayer
from tiles.raster.cog import write_cog
from tiles.raster.paths import RasterPaths
from tiles.raster.rendered import Rendered

logger = logging.getLogger(__name__)

MARGIN_M = 100.0  # map metres of border around the city


@dataclass(frozen=True)
class BuildResult:
    layer: RasterLayer
    path: Path
    built: bool  # False: the file was already there
    seconds: float


def build_raster(layer: RasterLayer, path: Path, *, resolution: float | None = None) -> Path:
    """Render `layer` over the city at its resolution (or `resolution`) and write its COG."""
    renderer: Callable[[RasterGrid], Rendered] = import_string(layer.renderer)
    grid = RasterGrid.covering(city.extent(), resolution or layer.resolution_m, MARGIN_M)
    tags = {"TIFFTAG_IMAGEDESCRIPTION": layer.title, "TIFFTAG_SOFTWARE": "Toàn Cảnh tiles.raster",
            "SYNTHETIC": "yes"}
    return write_cog(renderer(grid), path, quality=layer.jpeg_quality, tags=tags)


def build_rasters(paths: RasterPaths, *, force: bool = False,
                  resolution: float | None = None) -> list[BuildResult]:
    """Every raster layer's COG; existing files are kept unless `force`, which also empties their cache.

    `resolution` (map metres per pixel) overrides each layer's own, e.g. for quick tests.
    """
    results = []
    for layer in RASTERS:
        path = paths.raster(layer)
        clock = time.perf_counter()
        if path.exists() and not force:
            results.append(BuildResult(layer, path, False, 0.0))
            continue
        build_raster(layer, path, resolution=resolution)
        stale = paths.layer_cache(layer)
        if stale.exists():
            shutil.rmtree(stale)
            logger.info("emptied the tile cache %s of the regenerated %s", stale, layer.id)
        results.append(BuildResult(layer, path, True, time.perf_counter() - clock))
    return results
