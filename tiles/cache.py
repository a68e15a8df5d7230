"""The tile cache: one LMDB database in settings.TILE_CACHE_DIR, shared by every worker process.

A tile variant is stored under "<layers>/<z>/<x>/<y>/<variant>", where <layers> is the requested
layer list ("parcels,roads") and <variant> a hash of what else shaped the tile (fields seen, time,
ward). A second table records every layer list ever cached, so that an edit to a layer finds each
list holding it; invalidating a tile deletes the key range "<list>/<z>/<x>/<y>/" of those lists.

Why not a file per tile: on the platform's disks a file per tile (directories, a temporary file,
a rename) cost as much kernel time per rendered tile as a small tile's SQL, and an LMDB write or
lookup a small fraction of that (figures: docs/benchmarks.md), so a rendered tile is written in the
request that made it (no writer thread, nothing held only in one worker's memory), and readers
never wait for writers.

It is a cache: commits are not flushed to disk (a crashed process loses nothing, a crashed machine
may lose recent tiles; a database found damaged at start is emptied). When it reaches
settings.TILE_CACHE_MB it is emptied and fills again.

An invalidation counts as a new generation in the process that applies it: a tile whose render was
under way when an edit's notice arrived is not cached, so an edit racing a render cannot leave a
stale tile behind (tiles.invalidation applies the database's notices here, in every worker).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import lmdb
import xxhash
from django.conf import settings

from tiles.grid import Tile

logger = logging.getLogger(__name__)
MAX_READERS = 1024  # read transactions open at once over all worker processes and threads


def etag(content: bytes) -> str:
    """A strong ETag for tile bytes: their 128-bit XXH3 (much cheaper than BLAKE2; docs/benchmarks.md)."""
    return '"' + xxhash.xxh3_128_hexdigest(content) + '"'


@lru_cache(maxsize=4096)
def variant(*parts: object) -> str:
    """A short stable name for what shaped a tile besides z/x/y (hashable parts: fields, filter)."""
    return xxhash.xxh3_64_hexdigest(repr(parts).encode())


def _tile_prefix(layers: str, tile: Tile) -> str:
    """The start of every key of one tile of a layer list, whatever its variant."""
    return f"{layers}/{tile.z}/{tile.x}/{tile.y}/"


def _key(layers: str, tile: Tile, name: str) -> bytes:
    return (_tile_prefix(layers, tile) + name).encode()


class _Store:
    """The LMDB environment of one cache folder, opened in one process."""

    def __init__(self, setting: str | Path, max_bytes: int) -> None:
        self.setting, self.folder, self.pid = setting, Path(setting), os.getpid()
        try:
            self.env = self._open(max_bytes)
        except lmdb.Error as exc:  # damaged (a machine crash before the pages reached the disk)
            logger.warning("tile cache in %s unreadable (%s): starting it empty", self.folder, exc)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.env = self._open(max_bytes)
        self.tiles = self.env.open_db(b"tiles")
        self.lists = self.env.open_db(b"lists")
        with self.env.begin(db=self.lists) as txn:
            self.known_lists = {key.decode() for key, _ in txn.cursor()}

    def _open(self, max_bytes: int) -> lmdb.Environment:
        self.folder.mkdir(parents=True, exist_ok=True)
        return lmdb.open(str(self.folder), map_size=max_bytes, max_dbs=2, max_readers=MAX_READERS,
                         sync=False, metasync=False, readahead=False)


_lock = threading.Lock()  # held while the generation changes and while a tile is written
_generation = 0
_store: _Store | None = None
_forked: list[_Store] = []  # a parent's environment must not be closed (nor collected) after a fork


def _opened() -> _Store:
    """This process's store for the current settings (tests change the folder)."""
    global _store
    setting = settings.TILE_CACHE_DIR  # compared as it is: a Path built per lookup cost measurably
    store = _store
    if store is None or store.pid != os.getpid() or store.setting != setting:
        with _lock:
            if _store is None or _store.pid != os.getpid() or _store.setting != setting:
                if _store is not None:
                    if _store.pid == os.getpid():
                        _store.env.close()
                    else:
                        _forked.append(_store)
                _store = _Store(setting, settings.TILE_CACHE_MB << 20)
            store = _store
    return store


def get(layers: str, tile: Tile, name: str) -> bytes | None:
    """The cached bytes of a tile variant, or None."""
    store = _opened()
    with store.env.begin(db=store.tiles) as txn:
        return txn.get(_key(layers, tile, name))


def generation() -> int:
    """This process's invalidation count: read it before rendering, give it to `put`."""
    return _generation


def put(layers: str, tile: Tile, name: str, content: bytes, rendered_in: int | None = None) -> None:
    """Store a tile variant, unless an invalidation came after `rendered_in` (a generation). A
    cache that cannot be written is logged, never an error for the request."""
    store = _opened()
    key = _key(layers, tile, name)
    with _lock:
        if rendered_in is not None and rendered_in != _generation:
            return
        try:
            try:
                _write(store, layers, key, content)
            except lmdb.MapFullError:
                logger.warning("tile cache full (%s MB): emptied, filling again", settings.TILE_CACHE_MB)
                _empty(store)
                _write(store, layers, key, content)
        except lmdb.Error:  # the disk is full, or worse: the tile is served, only not kept
            logger.exception("could not write tile %s to the cache in %s", key.decode(), store.folder)


def _write(store: _Store, layers: str, key: bytes, content: bytes) -> None:
    with store.env.begin(write=True, db=store.tiles) as txn:
        if layers not in store.known_lists:
            txn.put(layers.encode(), b"", db=store.lists)
            store.known_lists.add(layers)
        txn.put(key, content)


def _empty(store: _Store) -> None:
    with store.env.begin(write=True) as txn:
        txn.drop(store.tiles, delete=False)
    # LMDB reuses the pages a transaction freed only from the second transaction after it
    with store.env.begin(write=True, db=store.tiles) as txn:
        txn.put(b"~", b"")
        txn.delete(b"~")


def _lists_holding(store: _Store, layer_id: str) -> list[str]:
    with store.env.begin(db=store.lists) as txn:
        lists = [key.decode() for key, _ in txn.cursor()]
    return [layer_list for layer_list in lists if layer_id in layer_list.split(",")]


def _new_generation() -> None:
    global _generation
    with _lock:
        _generation += 1


def _delete_prefix(cursor: lmdb.Cursor, prefix: bytes) -> bool:
    """Delete every key starting with `prefix`; whether there was any."""
    found = any_found = cursor.set_range(prefix) and cursor.key().startswith(prefix)
    while found:
        found = cursor.delete() and cursor.key().startswith(prefix)
    return any_found


def invalidate(layer_id: str, tiles: Iterable[Tile]) -> int:
    """Remove every cached variant of these tiles in every layer list containing `layer_id`;
    return how many (list, tile) pairs had something cached."""
    store = _opened()
    _new_generation()
    lists = _lists_holding(store, layer_id)
    if not lists:
        return 0
    with store.env.begin(write=True, db=store.tiles) as txn:
        cursor = txn.cursor()
        return sum(_delete_prefix(cursor, _tile_prefix(layer_list, tile).encode())
                   for tile in tiles for layer_list in lists)


def clear(layers: str | None = None) -> None:
    """Empty the whole cache (after bulk loads), or only the tiles of one layer list ("parcels,roads")."""
    store = _opened()
    _new_generation()
    if layers is None:
        _empty(store)
        return
    with store.env.begin(write=True, db=store.tiles) as txn:
        _delete_prefix(txn.cursor(), f"{layers}/".encode())
