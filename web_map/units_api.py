"""`GET /api/units`: the administrative tree (both structures) for the drill-down; ?q= searches names."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from web_map.admin_units import all_units, matching, trees


@require_GET
def units(request: HttpRequest) -> JsonResponse:
    """Every unit (or those whose name matches ?q=, diacritics optional) and the trees they form."""
    everything = all_units()
    query = request.GET.get("q", "").strip()
    shown = matching(everything, query) if query else everything
    return JsonResponse({"units": [unit.as_json() for unit in shown], "trees": trees(everything)})
