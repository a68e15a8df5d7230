"""Serving vector tiles: access check, cache lookup, ST_AsMVT on a miss (framework-neutral)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache, partial

from layers.registry import Layer, registry
from spatial.access import Viewer
from spatial.errors import BadRequest
from tiles import cache
from tiles.database import fetch_tile
from tiles.grid import Tile
from tiles.mvt import TileFilter, tile_params, tile_sql

logger = logging.getLogger(__name__)
MAX_LAYERS_PER_TILE = 16


@dataclass(frozen=True)
class TileResult:
    content: bytes
    etag: str
    cached: bool
    public: bool  # the same bytes for everyone (cacheable by shared caches)
    below_min_zoom: bool = False  # no layer of the request draws at this zoom: empty by declaration


def zooms(layer: Layer) -> tuple[int, int]:
    """The zooms at which a layer's tiles hold something new: from its min zoom (nothing below) to
    its detail zoom (deeper tiles carry the same fields, so clients may overzoom; they are served)."""
    return layer.style.min_zoom, max(layer.style.min_zoom, layer.style.detail_zoom)


def layer_ids(names: str) -> list[str]:
    """The layer ids of 'a,b,c', each named once: one spelling per layer list, so one cache entry
    per list (a repeated or empty name is refused, not merged)."""
    ids = names.split(",")
    if len(ids) > MAX_LAYERS_PER_TILE:
        raise BadRequest(f"hãy nêu từ 1 đến {MAX_LAYERS_PER_TILE} lớp, ví dụ /tiles/parcels,roads/14/…",
                         f"name 1 to {MAX_LAYERS_PER_TILE} layers, e.g. /tiles/parcels,roads/14/…")
    if "" in ids:
        raise BadRequest(f"tên lớp trống / an empty layer name in {names!r}: separate layer names "
                         "with one comma, e.g. /tiles/parcels,roads/14/…")
    repeated = [name for name, count in Counter(ids).items() if count > 1]
    if repeated:
        raise BadRequest(f"lớp {repeated[0]!r} được nêu hai lần / layer {repeated[0]!r} is named twice: "
                         "name each layer once, e.g. /tiles/parcels,roads/14/…")
    return ids


def readable_layers(names: str, viewer: Viewer) -> list[Layer]:
    """The layers named 'a,b,c', refusing unknown ones and those the viewer may not read."""
    return [viewer.reads(registry.get(layer_id)) for layer_id in layer_ids(names)]


def tile_fields(layer: Layer, viewer: Viewer, zoom: int) -> tuple[str, ...]:
    """The attributes a tile carries: all the viewer may read from detail zoom, a few below it."""
    readable = viewer.readable_fields(layer)
    if zoom >= layer.style.detail_zoom:
        return readable
    few = {layer.time_field, *layer.tile_fields}
    return tuple(name for name in readable if name in few)


@dataclass(frozen=True)
class TilePlan:
    """What a tile request comes to before any data is read, the same for every tile of one zoom:
    the statement, the layers it draws, where its tiles are cached, whether they are public."""

    query: str
    drawn: tuple[Layer, ...]
    where: TileFilter  # the request's filter, with the units the viewer is limited to
    layers: str  # the cache's layer list
    variant: str  # the cache's name for the fields and filter
    public: bool  # the same bytes for everyone (cacheable by shared caches)


def limited_to_units(where: TileFilter, layers: list[Layer], viewer: Viewer) -> TileFilter:
    """`where` with each layer the viewer is limited to some units on, and those units."""
    scopes = tuple((layer.id, tuple(sorted(scope))) for layer in layers
                   if (scope := viewer.unit_scope(layer)) is not None)
    return replace(where, units=scopes) if scopes else where


@lru_cache(maxsize=4096)
def plan(names: str, z: int, viewer: Viewer, where: TileFilter) -> TilePlan:
    """The plan of tiles of layers 'a,b,c' at zoom `z` for `viewer` (kept: a tile request costs a
    lookup here, not the access rules again; refusals are not kept, they raise every time)."""
    layers = readable_layers(names, viewer)
    parts = [(layer, tile_fields(layer, viewer, z)) for layer in layers]
    where = limited_to_units(where, layers, viewer)
    # small counts (layers.registry.SmallCounts): "< 5" for anonymous viewers, real for the signed in
    small = any(layer.small_counts is not None for layer in layers)
    hide_small = small and viewer.is_anonymous
    query, drawn = tile_sql(parts, z, where, hide_small)
    seen = tuple(fields for _, fields in parts)
    return TilePlan(
        query=query,
        drawn=drawn,
        where=where,
        layers=",".join(layer.id for layer in layers),
        variant=cache.variant(seen, where, "small counts hidden") if hide_small
        else cache.variant(seen, where),
        public=not where.units and all(set(fields) <= set(layer.public_fields) for layer, fields in parts)
        and not (small and not hide_small),
    )


def render(names: str, tile: Tile, where: TileFilter, viewer: Viewer,
           after: list[Callable[[], None]] | None = None) -> TileResult:
    """The tile's bytes from the cache, or from PostGIS (then written to the cache, right away or,
    given `after`, by the caller once the answer is sent: the write is appended there)."""
    how = plan(names, tile.z, viewer, where)
    if not how.drawn:  # below every layer's min zoom: no data is read, nothing is cached
        return TileResult(b"", cache.etag(b""), False, how.public, below_min_zoom=True)
    content = cache.get(how.layers, tile, how.variant)
    if content is not None:
        return TileResult(content, cache.etag(content), True, how.public)
    generation = cache.generation()  # before the query: an edit after it must not be cached over
    content = fetch_tile(how.query, tile_params(how.drawn, tile, how.where))
    store = partial(cache.put, how.layers, tile, how.variant, content, generation)
    if after is None:
        store()
    else:
        after.append(store)
    return TileResult(content, cache.etag(content), False, how.public)
