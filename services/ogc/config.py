"""The pygeoapi configuration, generated from the layer registry for one viewer (no YAML files).

A viewer sees only the collections and fields spatial.access allows; hidden collections are left
out of the configuration, so they are absent from /collections, the OpenAPI document and links.
The collections' extents are the data's (tiles.extents), passed in as `Extents` so that a
configuration, and pygeoapi's API object built from it, is kept per profile and extents.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from layers.registry import Layer, registry
from spatial.access import Viewer
from spatial.vietnam import VIETNAM_BBOX
from tiles import extents
from tiles.service import zooms

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"
# Output and bbox CRSs offered on every collection: WGS 84 (both axis orders), Web Mercator and
# VN-2000 / TM-3 104°45' (the demo province's zone), with the published datum shift.
SUPPORTED_CRS = (CRS84, EPSG.format(4326), EPSG.format(3857), EPSG.format(9208))
TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZE, MAX_PAGE_SIZE = 100, 10_000
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

# ((layer id, readable fields, the units the viewer is limited to or None, small counts hidden), …)
Profile = tuple[tuple[str, tuple[str, ...], tuple[int, ...] | None, bool], ...]


def profile_of(viewer: Viewer) -> Profile:
    """What the viewer may read, as a hashable key (configs and OpenAPI are cached per profile);
    anonymous viewers get a layer's small counts as "< 5" (layers.registry.SmallCounts)."""
    return tuple((layer.id, viewer.readable_fields(layer), _sorted(viewer.unit_scope(layer)),
                  viewer.is_anonymous and layer.small_counts is not None)
                 for layer in registry if viewer.can_read(layer))


# ((layer id, (minx, miny, maxx, maxy) or None, first time or None, last time or None), …)
Extents = tuple[tuple[str, tuple[float, ...] | None, str | None, str | None], ...]


def _moment(value: date | datetime | None) -> str | None:
    """A temporal extent's end as RFC 3339 in local time (a date: its local midnight)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), LOCAL_TIME)
    return value.astimezone(LOCAL_TIME).isoformat()


def extents_of(profile: Profile) -> Extents:
    """The data's extents of the profile's layers (tiles.extents: exact for small tables, from
    PostgreSQL's statistics for large ones, kept per process), as a hashable key."""
    found = ((layer_id, extents.of(registry.get(layer_id))) for layer_id, *_ in profile)
    return tuple((layer_id, extent.bbox, _moment(extent.begin), _moment(extent.end))
                 for layer_id, extent in found)


def _extents(layer: Layer, extent: tuple | None) -> dict:
    """pygeoapi's `extents` of a collection: the data's box (Vietnam when unknown or empty) and,
    for a layer with a time field, its first and last time."""
    _id, box, begin, end = extent or (layer.id, None, None, None)
    found = {"spatial": {"bbox": list(box or VIETNAM_BBOX), "crs": CRS84}}
    if layer.time_field:
        found["temporal"] = {"begin": begin, "end": end}
    return found


def _sorted(scope: frozenset[int] | None) -> tuple[int, ...] | None:
    return None if scope is None else tuple(sorted(scope))


def _resource(layer: Layer, fields: tuple[str, ...], unit_scope: tuple[int, ...] | None, hide_small: bool,
              extent: tuple | None) -> dict:
    return {
        "type": "collection",
        "title": {"vi": layer.title_vi, "en": layer.title_en},
        "description": {"vi": layer.description_vi or layer.title_vi,
                        "en": layer.description_en or layer.title_en},
        "keywords": {"vi": [layer.title_vi], "en": [layer.title_en, layer.subsystem]},
        "extents": _extents(layer, extent),
        "providers": [
            {
                "type": "feature",
                "name": "services.ogc.provider.LayerProvider",
                "data": layer.id,
                "id_field": "id",
                "geom_field": layer.geometry_field,
                "time_field": layer.time_field,
                "title_field": "name" if "name" in fields else None,
                "storage_crs": CRS84,
                "crs": list(SUPPORTED_CRS),
                "readable_fields": list(fields),
                "unit_scope": None if unit_scope is None else list(unit_scope),
                "hide_small_counts": hide_small,
            },
            {
                "type": "tile",
                "name": "services.ogc.tiles.LayerTileProvider",
                "data": layer.id,
                "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
                "options": {"zoom": dict(zip(("min", "max"), zooms(layer), strict=True)),
                            "schemes": ["WebMercatorQuad"]},
            },
        ],
    }


@lru_cache(maxsize=32)
def build_config(profile: Profile, base_url: str, data_extents: Extents = ()) -> dict:
    """The full pygeoapi configuration for one profile, rooted at `base_url` (…/ogc), with the
    collections' extents of `data_extents` (without them: Vietnam, no times)."""
    by_layer = {extent[0]: extent for extent in data_extents}
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000},
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["vi", "en"],
            "limits": {"default_items": PAGE_SIZE, "max_items": MAX_PAGE_SIZE, "on_exceed": "throttle"},
            "map": {"url": "/tiles/roads/{z}/{x}/{y}.pbf", "attribution": "Toàn Cảnh"},
            "pretty_print": False,
            "gzip": False,
            "templates": {"path": str(TEMPLATES)},
        },
        "logging": {"level": "CRITICAL"},
        "metadata": {
            "identification": {
                "title": {"vi": "Toàn Cảnh – Dữ liệu không gian", "en": "Toàn Cảnh – Spatial data"},
                "description": {"vi": "Các lớp dữ liệu của Trung tâm Điều hành Thông minh",
                                "en": "Layers of the Intelligent Operations Centre"},
                "keywords": {"vi": ["IOC", "GIS"], "en": ["IOC", "GIS"]},
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": base_url,
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "Toàn Cảnh", "url": base_url},
            "contact": {"name": "Trung tâm Điều hành / Operations centre", "email": "ioc@localhost"},
        },
        "resources": {layer_id: _resource(registry.get(layer_id), fields, unit_scope, hide_small,
                                          by_layer.get(layer_id))
                      for layer_id, fields, unit_scope, hide_small in profile},
    }
