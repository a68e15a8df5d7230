"""HTTP adapter: MapProxy (WMS, WMTS, XYZ tiles, demo) mounted at /mapproxy/ inside Django."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from spatial.errors import NotFound
from tiles.raster.ows_guard import check_request, with_client_status
from tiles.raster.service import mapproxy_app
from tiles.raster.wsgi_bridge import call_wsgi


@require_safe
def mapproxy(request: HttpRequest, path: str = "") -> HttpResponse:
    """Hand the request to MapProxy with the URL prefix as SCRIPT_NAME, so its links point back here."""
    if path.split("/", 1)[0] == "demo" and not settings.DEBUG:
        raise NotFound("the MapProxy demo is served only when IOC_DEBUG is on")
    check_request(path, request.GET)
    prefix = request.path[: len(request.path) - len(path)].rstrip("/")
    response = call_wsgi(mapproxy_app(), request, script_name=prefix, path_info="/" + path)
    return with_client_status(response)
