"""Apply the database's tile notices: remove the cached tiles an edit touched, at every zoom (and
tell tiles.extents).

The triggers (layers.db_hooks) send `NOTIFY ioc_tiles` with the table and the boxes of the old
and new shapes of every row a statement changed, so edits from the ORM, the API or plain SQL
(QGIS) alike reach here as soon as they commit.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence

import psycopg
from psycopg import sql

from layers.registry import registry
from spatial.config import DatabaseConfig
from tiles import cache, extents
from tiles.grid import MAX_ZOOM, Tile, tiles_covering
from tiles.mvt import BUFFER, EXTENT

logger = logging.getLogger(__name__)
CHANNEL = "ioc_tiles"


def _layers_of(table: str) -> list[str]:
    return [layer.id for layer in registry if layer.table == table]


def _touched(boxes: Iterable[Sequence[float]]) -> Iterator[Tile]:
    """Every tile, at every zoom, whose content (with its buffer) meets one of the boxes."""
    for minx, miny, maxx, maxy in boxes:
        for z in range(MAX_ZOOM + 1):
            margin = 360.0 / (1 << z) * BUFFER / EXTENT  # tiles carry a buffer around them
            yield from tiles_covering((minx - margin, miny - margin, maxx + margin, maxy + margin), z)


def apply(payload: str) -> int:
    """Invalidate the tiles named by one notice (one cache transaction per layer) and grow the kept
    extents of its layers (tiles.extents); return how many (layer list, tile) pairs had something
    cached."""
    notice = json.loads(payload)
    boxes = notice["boxes"] or ()
    extents.written(notice["table"], boxes)
    return sum(cache.invalidate(layer_id, _touched(boxes)) for layer_id in _layers_of(notice["table"]))


def connect(channel: str = CHANNEL) -> psycopg.Connection:
    """A separate autocommit connection listening on `channel` (the tile channel by default)."""
    conn = psycopg.connect(DatabaseConfig.of_django().as_url(), autocommit=True)
    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
    return conn


def drain(conn: psycopg.Connection, timeout: float = 0.2) -> int:
    """Apply every notice arriving within `timeout` seconds; return the cached tiles removed."""
    return sum(apply(notice.payload) for notice in conn.notifies(timeout=timeout))


def listen_forever() -> None:
    """Block, applying notices as they come; reconnect if the database goes away."""
    while True:
        try:
            with connect() as conn:
                logger.info("tile invalidation listening on %s", CHANNEL)
                for notice in conn.notifies():
                    apply(notice.payload)
        except psycopg.OperationalError as exc:
            logger.warning("tile invalidation lost its connection (%s); reconnecting", exc)
            threading.Event().wait(2.0)


def start_background_listener() -> threading.Thread:
    """Run listen_forever in a daemon thread of this process (one per web worker)."""
    thread = threading.Thread(target=listen_forever, name="tile-invalidation", daemon=True)
    thread.start()
    return thread
