"""The MapProxy WSGI application for the current mapproxy.yaml, built once per version of the file."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import lru_cache

from mapproxy.config.loader import ConfigurationError
from mapproxy.wsgiapp import make_wsgi_app

from tiles.raster.errors import RasterError, RastersNotGenerated
from tiles.raster.mapproxy_cog import plugin_entrypoint
from tiles.raster.paths import RasterPaths

logger = logging.getLogger(__name__)

WsgiApp = Callable[..., object]
_BUILDING = threading.Lock()  # threads of one worker share one app instead of each reading the YAML


@lru_cache(maxsize=4)
def _build(config_path: str, modified_ns: int) -> WsgiApp:
    plugin_entrypoint()
    try:
        return make_wsgi_app(config_path, ignore_config_warnings=True)
    except ConfigurationError as exc:
        logger.error("MapProxy rejected %s: %s", config_path, exc)
        raise RasterError("the raster service is misconfigured; an administrator must run "
                          "`ioc rasters --force`") from exc


def mapproxy_app(paths: RasterPaths | None = None) -> WsgiApp:
    """MapProxy serving `paths` (default: from settings); rebuilt when mapproxy.yaml changes."""
    paths = paths or RasterPaths.from_settings()
    try:
        modified_ns = paths.mapproxy_yaml.stat().st_mtime_ns
    except FileNotFoundError:
        raise RastersNotGenerated("the raster service is not set up yet: run `ioc rasters`") from None
    with _BUILDING:
        return _build(str(paths.mapproxy_yaml), modified_ns)
