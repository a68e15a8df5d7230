"""The tile cache on disk: one file per tile variant, removed when an edit touches the tile.

Layout: <root>/<layers>/<z>/<x>/<y>/<variant>.pbf, where <layers> is the requested layer list
("parcels,roads") and <variant> a hash of what else shaped the tile (fields seen, time, ward).
Removing <root>/<any list with the layer>/<z>/<x>/<y>/ invalidates every variant at once.

A rendered tile is written by a background thread (`put_soon`), so no request waits for the disk;
until written it is served from memory. An invalidation counts as a new generation: a tile
rendered before it is never written after it, so an edit racing a render cannot leave a stale
tile behind (tiles.invalidation applies the database's notices here).
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import xxhash
from django.conf import settings

from tiles.grid import Tile

logger = logging.getLogger(__name__)


def root() -> Path:
    """The cache folder (settings.TILE_CACHE_DIR, from IOC_TILE_CACHE_DIR)."""
    return Path(settings.TILE_CACHE_DIR)


def etag(content: bytes) -> str:
    """A strong ETag for tile bytes: their 128-bit XXH3 (a 25 KB tile in 1 µs; BLAKE2 took 17)."""
    return '"' + xxhash.xxh3_128_hexdigest(content) + '"'


@lru_cache(maxsize=4096)
def variant(*parts: object) -> str:
    """A short stable name for what shaped a tile besides z/x/y (hashable parts: fields, filter)."""
    return xxhash.xxh3_64_hexdigest(repr(parts).encode())


def _path(layers: str, tile: Tile, name: str) -> str:
    # a plain string: pathlib's joins cost a fifth of a cached tile's whole answer
    return f"{settings.TILE_CACHE_DIR}/{layers}/{tile.z}/{tile.x}/{tile.y}/{name}.pbf"


def get(layers: str, tile: Tile, name: str) -> bytes | None:
    """The cached bytes of a tile variant (written or about to be), or None."""
    path = _path(layers, tile, name)
    if (content := _pending.get(path)) is not None:
        return content
    try:
        with open(path, "rb") as cached:
            return cached.read()
    except FileNotFoundError:
        return None


def put(layers: str, tile: Tile, name: str, content: bytes) -> None:
    """Store now, atomically (a temporary file, then a rename): readers never see half a tile."""
    _write(_path(layers, tile, name), content)


def _write(path: str, content: bytes) -> None:
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.part"
    try:
        handle = open(temporary, "wb")  # noqa: SIM115 - closed below, before the rename
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115
    with handle:
        handle.write(content)
    os.replace(temporary, path)


# What this process has rendered and not yet written, and the writer thread that writes it.
_lock = threading.Lock()  # held while the generation changes and while a queued tile is written
_generation = 0
_pending: dict[str, bytes] = {}
_queue: queue.Queue[tuple[str, bytes, int]] = queue.Queue()
_writer_pid = 0
MAX_PENDING = 2000  # beyond this the disk is not keeping up: serve the tile without caching it


def generation() -> int:
    """This process's invalidation count: read it before rendering, give it to `put_soon`."""
    return _generation


def put_soon(layers: str, tile: Tile, name: str, content: bytes, rendered_in: int) -> None:
    """Store in the background, unless an invalidation came after `rendered_in` (a generation)."""
    global _writer_pid
    path = _path(layers, tile, name)
    with _lock:
        if rendered_in != _generation or len(_pending) >= MAX_PENDING:
            return
        _pending[path] = content
        if _writer_pid != os.getpid():  # first use in this process (or in a forked worker)
            threading.Thread(target=_write_queued, name="tile-cache-writer", daemon=True).start()
            _writer_pid = os.getpid()
    _queue.put((path, content, rendered_in))


def _write_queued() -> None:
    while True:
        path, content, rendered_in = _queue.get()
        try:
            with _lock:
                if rendered_in == _generation:
                    _write(path, content)
                if _pending.get(path) is content:
                    del _pending[path]
        except OSError:
            logger.exception("could not write tile %s to the cache", path)
        finally:
            _queue.task_done()


def flush() -> None:
    """Wait until every tile this process queued is written (benchmarks, tests)."""
    _queue.join()


def _new_generation() -> None:
    global _generation
    with _lock:
        _generation += 1
        _pending.clear()


def invalidate(layer_id: str, tiles: Iterable[Tile]) -> int:
    """Remove every cached variant of these tiles in every layer list containing `layer_id`."""
    _new_generation()
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
    _new_generation()
    shutil.rmtree(root(), ignore_errors=True)
