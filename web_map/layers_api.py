"""`GET /api/layers`: what the map wall shows, derived from the registry for one viewer.

Layers (styles, legends, field labels, coded values, metrics, whether the viewer may edit them)
and the views: one per subsystem that has a layer the viewer may read.
"""

from __future__ import annotations

from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.models import AdminUnit, Camera
from layers.registry import SUBSYSTEMS, Layer, registry
from layers.search import template_fields
from layers.vocabularies import Vocabulary
from spatial.access import Viewer
from vision.views import SNAPSHOT_URL, evidence_prefix, may_see_frames
from web_map.stats import counted_layers, readable_kpis

CITY_FALLBACK = (104.85, 21.66, 104.97, 21.76)
BASEMAP = "basemap"
INDICATORS = "indicators"


FIELD_TYPES = {"DateTimeField": "datetime", "DateField": "date"}  # the popup writes dd/MM/yyyy HH:mm


def _field(layer: Layer, name: str, frames: bool = False) -> dict:
    """A field's labels in both languages, its coded values' labels (from the code list it was made
    from, in both languages) if it has any, its type when the popup formats it, `refers: units` for a
    ward (named from /api/units) and, for a viewer who may see camera frames (`frames`), the prefix of
    the evidence links a text shows as images."""
    field = layer.model_class._meta.get_field(name)
    described: dict = {"name": name, "vi": layer.label(name, "vi"), "en": layer.label(name, "en")}
    choices = getattr(field, "choices", None)
    vocabulary = layer.style.vocabulary if name == layer.style.by else Vocabulary.of_choices(choices or ())
    if vocabulary is not None:
        described["values"] = vocabulary.labels()
    elif choices:
        described["values"] = {str(code): [str(label), str(label)] for code, label in choices}
    if kind := FIELD_TYPES.get(field.get_internal_type()):
        described["type"] = kind
    if field.is_relation and field.related_model is AdminUnit:
        described["refers"] = "units"
    if frames and field.get_internal_type() == "TextField":
        described["images"] = evidence_prefix()
    return described


def layer_json(layer: Layer, viewer: Viewer) -> dict:
    """What the map needs of one layer: titles, tiles, style with its legend, fields, metrics."""
    style = layer.style
    frames = may_see_frames(viewer)
    return {
        "id": layer.id, "title_vi": layer.title_vi, "title_en": layer.title_en,
        "subsystem": layer.subsystem, "geometry_type": layer.geometry_type, "time_field": layer.time_field,
        "basemap": layer.subsystem == BASEMAP,
        "time_filtered": layer.in_time_window,
        "tilejson": f"/tiles/{layer.id}.json",
        "fields": [_field(layer, name, frames) for name in viewer.readable_fields(layer)],
        "snapshot": SNAPSHOT_URL if frames and layer.model_class is Camera else None,
        "editable": viewer.can_edit(layer),
        "writable_fields": list(layer.writable_fields) if viewer.can_edit(layer) else [],
        "metrics": [{"code": m.code, "vi": m.vi, "en": m.en, "unit": m.unit, "unit_en": m.unit_en or m.unit,
                     "period": m.period}
                    for m in layer.metrics],
        "kpis": [{"code": kpi.code, "vi": kpi.vi, "en": kpi.en, "kind": kpi.kind, "by": kpi.by,
                  "unit": kpi.unit, "scale": kpi.scale} for owner, kpi in readable_kpis(viewer)
                 if owner is layer],
        "deadline": _deadline(layer, viewer),
        "panel": layer.panel,
        "ticker_group": layer.ticker_group if layer.ticker_group in viewer.readable_fields(layer) else None,
        "priority": {"field": layer.priority.field, "pinned": list(layer.priority.pinned),
                     "legend": layer.priority.vocabulary.legend()} if layer.priority else None,
        "style": {"kind": style.kind, "color": style.color, "by": style.by, "min_zoom": style.min_zoom,
                  "detail_zoom": style.detail_zoom,
                  **_label(layer, viewer),
                  "legend": style.vocabulary.legend() if style.vocabulary else [],
                  "always": list(style.always), "renderers": list(style.renderers)},
    }


def _label(layer: Layer, viewer: Viewer) -> dict:
    """The label drawn on features (a template over fields: "{sheet_no}/{parcel_no}"; by default
    the name the tiles always carry) and the zoom from which tiles carry its fields; no label when
    the viewer may not read them."""
    template = layer.style.label or ("{name}" if "name" in layer.style.always else None)
    fields = template_fields(template or "")
    if not template or not set(fields) <= set(viewer.readable_fields(layer)):
        return {"label": None, "label_zoom": None}
    always = {layer.time_field, *layer.tile_fields}
    style = layer.style
    zoom = style.min_zoom if set(fields) <= always else max(style.min_zoom, style.detail_zoom)
    return {"label": template, "label_zoom": zoom}


def _deadline(layer: Layer, viewer: Viewer) -> dict | None:
    """The layer's overdue rule, for the map to ring late features (the KPI counts the same rule,
    web_map.stats.late): open (no `done` time, status not `closed`) past `due` now, or done after it."""
    deadline, workflow = layer.deadline, layer.workflow
    if deadline is None:
        return None
    if not {workflow.field, deadline.due, deadline.done} <= set(viewer.readable_fields(layer)):
        return None
    return {"due": deadline.due, "done": deadline.done, "status": workflow.field,
            "closed": list(workflow.closed)}


def _view_members(code: str, layers: list[Layer]) -> list[str]:
    """A subsystem's layers; the indicators view shows the areas that carry monthly indicators
    (choropleth; an area layer of another subsystem with daily series, the epidemic watch's, stays there)."""
    if code == INDICATORS:
        return [layer.id for layer in layers if layer.geometry_type.endswith("Polygon")
                and any(metric.period == "month" for metric in layer.metrics)]
    return [layer.id for layer in layers if layer.subsystem == code]


def views_json(layers: list[Layer]) -> list[dict]:
    """One view per subsystem (base map aside) holding at least one of these layers."""
    views = []
    for subsystem in SUBSYSTEMS.values():
        members = _view_members(subsystem.code, layers)
        if subsystem.code == BASEMAP or not members:
            continue
        counted = counted_layers([registry.get(member) for member in members])
        views.append({"code": subsystem.code, "vi": subsystem.vi, "en": subsystem.en, "layers": members,
                      "counted": [layer.id for layer in counted],
                      "events": any(layer.time_field for layer in counted),
                      "min_zoom": min(layer.style.min_zoom for layer in counted)})
    return views


@require_GET
def layers(request: HttpRequest) -> JsonResponse:
    """The viewer's layers in registry order, the views, and the city's bounds."""
    viewer = Viewer.of(request.user)
    readable = [layer for layer in registry if viewer.can_read(layer)]
    extent = AdminUnit.objects.communes().aggregate(e=Extent("geom"))["e"] or CITY_FALLBACK
    return JsonResponse({
        "layers": [layer_json(layer, viewer) for layer in readable],
        "views": views_json(readable),
        "bounds": [[extent[0], extent[1]], [extent[2], extent[3]]],
    })
