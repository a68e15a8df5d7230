"""Filling MapProxy's tile cache ahead of use (what `mapproxy-seed` does), in-process."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import TextIO

from mapproxy.config.loader import ConfigurationError, load_configuration
from mapproxy.seed.config import SeedingConfiguration
from mapproxy.seed.seeder import SeedInterrupted
from mapproxy.seed.seeder import seed as mapproxy_seed
from mapproxy.seed.spec import validate_seed_conf
from mapproxy.seed.util import ProgressLog

from tiles.raster.catalog import RASTERS, raster_layer
from tiles.raster.errors import RastersNotGenerated, SeedingFailed
from tiles.raster.mapproxy_cog import plugin_entrypoint
from tiles.raster.mapproxy_config import SEED_TO_LEVEL, seed_config
from tiles.raster.paths import RasterPaths

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeedResult:
    layer_id: str
    tiles: int  # tile files in the layer's cache after seeding
    seconds: float


def cached_tiles(paths: RasterPaths, layer_id: str) -> int:
    """How many tile files the layer's cache holds."""
    folder = paths.layer_cache(raster_layer(layer_id))
    return sum(1 for _ in folder.rglob("*.png")) if folder.exists() else 0


def seed(paths: RasterPaths, *, to_level: int = SEED_TO_LEVEL, from_level: int = 0,
         layers: Sequence[str] | None = None, concurrency: int = 2,
         out: TextIO | None = None) -> list[SeedResult]:
    """Seed the caches of `layers` (default all) over their rasters' extents; tiles already cached stay.

    MapProxy's messages and progress go to `out` (discarded when None).
    """
    if not paths.mapproxy_yaml.exists():
        raise RastersNotGenerated(f"{paths.mapproxy_yaml} is missing: run `ioc rasters` first")
    names = list(layers) if layers else [layer.id for layer in RASTERS]
    for name in names:
        raster_layer(name)
    plugin_entrypoint()
    conf_dict = seed_config(paths, to_level=to_level, from_level=from_level)
    errors, valid = validate_seed_conf(conf_dict)
    if not valid:
        raise SeedingFailed(f"seed configuration rejected by MapProxy: {'; '.join(errors)}")
    try:
        proxy_conf = load_configuration(str(paths.mapproxy_yaml), seed=True)
    except ConfigurationError as exc:
        raise SeedingFailed(f"{paths.mapproxy_yaml} rejected by MapProxy: {exc}; run `ioc rasters`") from exc
    stream = out or io.StringIO()
    results = []
    with proxy_conf:
        tasks_by_layer = {name: SeedingConfiguration(conf_dict, proxy_conf).seeds([name]) for name in names}
        for name, tasks in tasks_by_layer.items():
            clock = time.perf_counter()
            try:
                with redirect_stdout(stream):
                    mapproxy_seed(tasks, concurrency=concurrency,
                                  progress_logger=ProgressLog(out=stream, verbose=False, silent=out is None))
            except SeedInterrupted as exc:
                message = f"seeding {name} stopped: every MapProxy worker died; see the log"
                raise SeedingFailed(message) from exc
            results.append(SeedResult(name, cached_tiles(paths, name), time.perf_counter() - clock))
            logger.info("seeded %s to level %d: %d tiles", name, to_level, results[-1].tiles)
    return results
