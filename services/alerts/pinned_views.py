"""HTTP adapters of pinned events (alerts.pinned): GET /api/alerts/pinned (what the wall pins for the viewer)
and POST /api/alerts/pinned/<layer>/<id>/acknowledge (an operator takes one; 409 naming who did first)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from alerts.pinned import acknowledge, pinned, pinned_one, priority_layers
from services.alerts.features import may_acknowledge
from services.editing.csrf import csrf_checked
from spatial.access import Viewer
from spatial.errors import Forbidden


@require_GET
def pinned_events(request: HttpRequest) -> JsonResponse:
    """The viewer's pinned events, unacknowledged first, and whether the viewer may acknowledge them."""
    viewer = Viewer.signed_in(request.user, "để xem sự kiện cần chú ý", "to see pinned events")
    return JsonResponse({"events": [item.document(viewer) for item in pinned(viewer, timezone.now())],
                         "layers": [layer.id for layer in priority_layers(viewer)],
                         "may_acknowledge": may_acknowledge(viewer)})


@csrf_checked
def acknowledge_event(request: HttpRequest, layer_id: str, feature_id: str) -> JsonResponse:
    """POST: the operator takes a pinned event; the answer is the event, acknowledged."""
    viewer = Viewer.signed_in(request.user, "để xác nhận sự kiện", "to acknowledge events")
    if not may_acknowledge(viewer):
        raise Forbidden("chỉ điều hành viên xác nhận sự kiện", "only operators acknowledge events")
    now = timezone.now()
    layer, feature = pinned_one(viewer, layer_id, feature_id, now)
    acknowledge(layer, feature, request.user, now)
    (item,) = [item for item in pinned(viewer, now) if item.layer is layer and item.feature.pk == feature.pk]
    return JsonResponse(item.document(viewer))
