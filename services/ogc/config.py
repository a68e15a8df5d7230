"""The pygeoapi configuration, generated from the layer registry for one viewer (no YAML files).

A viewer sees only the collections and fields spatial.access allows; hidden collections are left
out of the configuration, so they are absent from /collections, the OpenAPI document and links.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from layers.registry import Layer, registry
from spatial.access import Viewer

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"
# Output and bbox CRSs offered on every collection: WGS 84 (both axis orders), Web Mercator and
# VN-2000 / TM-3 104°45' (the demo province's zone), with the published datum shift.
SUPPORTED_CRS = (CRS84, EPSG.format(4326), EPSG.format(3857), EPSG.format(9208))
VIETNAM_BBOX = [102.1, 6.0, 117.9, 23.4]
TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZE, MAX_PAGE_SIZE = 100, 10_000

# ((layer id, readable fields, the units the viewer is limited to or None), …)
Profile = tuple[tuple[str, tuple[str, ...], tuple[int, ...] | None], ...]


def profile_of(viewer: Viewer) -> Profile:
    """What the viewer may read, as a hashable key (configs and OpenAPI are cached per profile)."""
    return tuple((layer.id, viewer.readable_fields(layer), _sorted(viewer.unit_scope(layer)))
                 for layer in registry if viewer.can_read(layer))


def _sorted(scope: frozenset[int] | None) -> tuple[int, ...] | None:
    return None if scope is None else tuple(sorted(scope))


def _resource(layer: Layer, fields: tuple[str, ...], unit_scope: tuple[int, ...] | None) -> dict:
    return {
        "type": "collection",
        "title": {"vi": layer.title_vi, "en": layer.title_en},
        "description": {"vi": layer.description_vi or layer.title_vi,
                        "en": layer.description_en or layer.title_en},
        "keywords": {"vi": [layer.title_vi], "en": [layer.title_en, layer.subsystem]},
        "extents": {"spatial": {"bbox": VIETNAM_BBOX, "crs": CRS84},
                    "temporal": {"begin": None, "end": None}},
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
            },
            {
                "type": "tile",
                "name": "services.ogc.tiles.LayerTileProvider",
                "data": layer.id,
                "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
                "options": {"zoom": {"min": layer.style.min_zoom, "max": 22},
                            "schemes": ["WebMercatorQuad"]},
            },
        ],
    }


@lru_cache(maxsize=32)
def build_config(profile: Profile, base_url: str) -> dict:
    """The full pygeoapi configuration for one profile, rooted at `base_url` (…/ogc)."""
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
        "resources": {layer_id: _resource(registry.get(layer_id), fields, unit_scope)
                      for layer_id, fields, unit_scope in profile},
    }
