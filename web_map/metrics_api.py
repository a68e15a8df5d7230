"""Time series for the map: the ward choropleth (`/api/indicators`) and per-feature metrics.

`GET /api/indicators?indicator=budget_revenue&month=2026-09` → `{"indicator", "months", "values":
[{"unit_id", "code", "name", "value"}]}` (defaults: the first indicator, its last month).
`GET /api/metrics/<layer>/<metric>?datetime=a/b` → `{"metric", "window", "values": {"<feature id>":
value}}`, each feature's values combined over the window by the metric's aggregate (default window:
the last 30 days).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.registry import Layer, registry
from spatial.access import Viewer
from web_map.observations import (
    metric_json,
    metric_of,
    month_bounds,
    months_with_data,
    per_feature,
    values_by_feature_in_month,
)
from web_map.stats import ward_layer
from web_map.stats_api import local_iso, window


def readable(layer: Layer, viewer: Viewer) -> Layer:
    """`layer` if the viewer may read it; else 401 (anonymous) or 403, as the tiles answer."""
    return viewer.reads(layer)


@require_GET
def indicators(request: HttpRequest) -> JsonResponse:
    """One indicator's value per commune for a month, and the months that have data."""
    wards = readable(ward_layer(), Viewer.of(request.user))
    code = request.GET.get("indicator")
    metric = metric_of(wards, code) if code else wards.metrics[0]
    months = months_with_data(wards, metric)
    month = request.GET.get("month") or (months[-1] if months else None)
    if month:
        month_bounds(month)
    values = values_by_feature_in_month(wards, metric, month) if month else []
    return JsonResponse({"indicator": {**metric_json(wards, metric), "month": month}, "months": months,
                         "values": values})


@require_GET
def metrics(request: HttpRequest, layer_id: str, code: str) -> JsonResponse:
    """A metric of a layer per feature over ?datetime= (lodging guests, dossiers, mean AQI…)."""
    layer = readable(registry.get(layer_id), Viewer.of(request.user))
    metric = metric_of(layer, code)
    start, end = window(request.GET.get("datetime"))
    values = per_feature(layer, metric, start, end)
    return JsonResponse({"metric": metric_json(layer, metric),
                         "window": {"start": local_iso(start), "end": local_iso(end)},
                         "values": {str(fid): value for fid, value in values.items()}})
