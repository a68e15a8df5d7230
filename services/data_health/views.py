"""HTTP adapters of data health: GET /api/data-health (JSON) and the page /suc-khoe-du-lieu/ (HTML,
Vietnamese; English with ?lang=en). Signed-in viewers see the layers they read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from services.data_health.documents import health
from spatial.access import Viewer


def _viewer(request: HttpRequest) -> Viewer:
    return Viewer.signed_in(request.user, "để xem tình trạng dữ liệu", "to see the data's health")


@require_GET
def data_health(request: HttpRequest) -> JsonResponse:
    """{"now", "layers": [...]}: see docs/importing.md#data-health."""
    now = timezone.now()
    return JsonResponse({"now": timezone.localtime(now).isoformat(),
                         "layers": health(_viewer(request), now)})


@require_GET
def data_health_page(request: HttpRequest) -> HttpResponse:
    """The same as a table, late layers first."""
    now = timezone.now()
    english = request.GET.get("lang") == "en"
    return render(request, "data_health/page.html", {
        "layers": health(_viewer(request), now), "en": english, "now": timezone.localtime(now)})
