"""Serving vector tiles: access check, cache lookup, ST_AsMVT on a miss (framework-neutral)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from layers.registry import Layer, registry
from spatial.access import Viewer
from spatial.errors import BadRequest, Forbidden, NotAuthenticated
from tiles import cache
from tiles.grid import Tile
from tiles.mvt import TileFilter, tile_query

logger = logging.getLogger(__name__)
MAX_LAYERS_PER_TILE = 16


@dataclass(frozen=True)
class TileResult:
    content: bytes
    etag: str
    cached: bool
    public: bool  # the same bytes for everyone (cacheable by shared caches)
    store: Callable[[], None] | None = None  # a miss not yet written to the cache (defer_store)


def readable_layers(names: str, viewer: Viewer) -> list[Layer]:
    """The layers named 'a,b,c', refusing unknown ones and those the viewer may not read."""
    ids = [name for name in names.split(",") if name]
    if not ids or len(ids) > MAX_LAYERS_PER_TILE:
        raise BadRequest(f"name 1 to {MAX_LAYERS_PER_TILE} layers, e.g. /tiles/parcels,roads/14/…")
    layers = [registry.get(layer_id) for layer_id in ids]
    for layer in layers:
        if not viewer.can_read(layer):
            if viewer.is_anonymous:
                raise NotAuthenticated(f"layer {layer.id!r} is restricted: sign in (Basic or token)")
            raise Forbidden(f"your roles do not allow reading layer {layer.id!r}")
    return layers


def tile_fields(layer: Layer, viewer: Viewer, zoom: int) -> tuple[str, ...]:
    """The attributes a tile carries: all the viewer may read from detail zoom, a few below it."""
    readable = viewer.readable_fields(layer)
    if zoom >= layer.style.detail_zoom:
        return readable
    few = {layer.style.by, layer.time_field, *layer.style.always}
    return tuple(name for name in readable if name in few)


def render(names: str, tile: Tile, where: TileFilter, viewer: Viewer, *,
           defer_store: bool = False) -> TileResult:
    """The tile's bytes from the cache, or from PostGIS (then cached).

    With `defer_store`, a miss is written to the cache only when the caller runs `result.store()`
    (the HTTP view does so once the response has been sent, off the request's latency).
    """
    layers = readable_layers(names, viewer)
    parts = [(layer, tile_fields(layer, viewer, tile.z)) for layer in layers]
    public = all(set(fields) <= set(layer.public_fields) for layer, fields in parts)
    name = cache.variant([fields for _, fields in parts], where)
    key = ",".join(layer.id for layer in layers)
    content = cache.get(key, tile, name)
    if content is not None:
        return TileResult(content, cache.etag(content), True, public)
    query, params = tile_query(parts, tile, where)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        content = bytes(cursor.fetchone()[0])
    def store() -> None:
        cache.put(key, tile, name, content)

    if not defer_store:
        store()
    return TileResult(content, cache.etag(content), False, public, store if defer_store else None)
