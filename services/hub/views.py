"""HTTP adapters of the indicator hub (mounted at /api/hub/; shapes in docs/indicators.md)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from indicators.registry import registry


def _language(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "vi"


@require_GET
def indicators(request: HttpRequest) -> JsonResponse:
    """GET indicators: the catalogue, in the order declared."""
    language = _language(request)
    return JsonResponse({"indicators": [indicator.as_json(language) for indicator in registry]})


@require_GET
def values(request: HttpRequest) -> JsonResponse:
    """GET values?indicator=&unit=&period=&from=&to=: the series (see indicators.figures)."""
    raise NotImplementedError
