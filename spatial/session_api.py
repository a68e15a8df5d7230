"""`GET /api/session`: who is signed in, their roles and wards, and the CSRF token for writes."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from spatial.access import Viewer


@never_cache
@require_GET
def session(request: HttpRequest) -> JsonResponse:
    """The viewer as the map sees it (anonymous: no roles); sets the csrftoken cookie."""
    viewer = Viewer.of(request.user)
    return JsonResponse({"username": viewer.username or None, "roles": sorted(viewer.roles),
                         "wards": sorted(viewer.ward_ids), "csrfToken": get_token(request)})
