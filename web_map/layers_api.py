"""`GET /api/layers`: the layers a viewer may read, with styles and legends (from the registry)."""

from __future__ import annotations

from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.models import AdminUnit
from layers.registry import SUBSYSTEMS, Layer, registry
from spatial.access import Viewer

CITY_FALLBACK = (104.85, 21.66, 104.97, 21.76)


def layer_json(layer: Layer, viewer: Viewer) -> dict:
    """What the map needs of one layer: titles, tiles, style with its legend, fields."""
    style = layer.style
    return {
        "id": layer.id, "title_vi": layer.title_vi, "title_en": layer.title_en,
        "subsystem": layer.subsystem, "geometry_type": layer.geometry_type, "time_field": layer.time_field,
        "basemap": layer.subsystem == "basemap" or layer.id == "parcels",
        "tilejson": f"/tiles/{layer.id}.json", "fields": list(viewer.readable_fields(layer)),
        "style": {"kind": style.kind, "color": style.color, "by": style.by, "min_zoom": style.min_zoom,
                  "label": "name" if "name" in style.always else None,
                  "legend": style.vocabulary.legend() if style.vocabulary else []},
    }


@require_GET
def layers(request: HttpRequest) -> JsonResponse:
    """The viewer's layers in registry order, the subsystems, and the city's bounds."""
    viewer = Viewer.of(request.user)
    extent = AdminUnit.objects.communes().aggregate(e=Extent("geom"))["e"] or CITY_FALLBACK
    return JsonResponse({
        "layers": [layer_json(layer, viewer) for layer in registry if viewer.can_read(layer)],
        "subsystems": [{"code": s.code, "vi": s.vi, "en": s.en} for s in SUBSYSTEMS.values()],
        "bounds": [[extent[0], extent[1]], [extent[2], extent[3]]],
    })
