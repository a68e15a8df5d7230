"""The tile cache on disk: one file per tile variant, removed when an edit touches the tile.

Layout: <root>/<layers>/<z>/<x>/<y>/<variant>.pbf, where <layers> is the requested layer list
("parcels,roads") and <variant> a hash of what else shaped the tile (fields seen, time, ward).
Removing <root>/<any list with the layer>/<z>/<x>/<y>/ invalidates every variant at once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from tiles.grid import Tile

logger = logging.getLogger(__name__)


def root() -> Path:
    """The cache folder (settings.TILE_CACHE_DIR, from IOC_TILE_CACHE_DIR)."""
    return Path(settings.TILE_CACHE_DIR)


def etag(content: bytes) -> str:
    """A strong ETag for tile bytes."""
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def variant(*parts: object) -> str:
    """A short stable name for what shaped a tile besides z/x/y."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def _path(layers: str, tile: Tile, name: str) -> Path:
    return root() / layers / str(tile.z) / str(tile.x) / str(tile.y) / f"{name}.pbf"


def get(layers: str, tile: Tile, name: str) -> bytes | None:
    """The cached bytes of a tile variant, or None."""
    try:
        return _path(layers, tile, name).read_bytes()
    except FileNotFoundError:
        return None


def put(layers: str, tile: Tile, name: str, content: bytes) -> None:
    """Store atomically (write a temporary file, then rename), so readers never see half a tile."""
    path = _path(layers, tile, name)
    temporary = path.with_name(f"{name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        handle = open(temporary, "wb")  # noqa: SIM115 - closed below, before the rename
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115
    with handle:
        handle.write(content)
    os.replace(temporary, path)


def invalidate(layer_id: str, tiles: Iterable[Tile]) -> int:
    """Remove every cached variant of these tiles in every layer list containing `layer_id`."""
    base = root()
    if not base.exists():
        return 0
    lists = [d for d in base.iterdir() if layer_id in d.name.split(",")]
    removed = 0
    for tile in tiles:
        for layer_list in lists:
            folder = layer_list / str(tile.z) / str(tile.x) / str(tile.y)
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def clear() -> None:
    """Empty the whole cache (after bulk loads)."""
    shutil.rmtree(root(), ignore_errors=True)
