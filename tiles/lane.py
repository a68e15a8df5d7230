"""The tile lane: anonymous tile requests answered without the middleware that pages need.

A map wall asks for hundreds of tiles a minute and a typical tile takes PostgreSQL under a
millisecond, so the request pipeline (sessions, locale, CSRF, messages, URL routing: ~0.3 ms)
weighed as much as the SQL. This WSGI wrapper answers `GET /tiles/{layers}/{z}/{x}/{y}.pbf`
itself when the request carries no credentials (no Authorization header, no session cookie):
Django's own request object, the same view code (access rules, renderer, cache, headers), the same
error mapping, wrapped in the same header middleware (settings.HEADER_MIDDLEWARE: security
headers, HTTPS redirect, HSTS). Every other request goes to Django's full stack unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from spatial.access import ANONYMOUS
from spatial.error_responses import error_response

PATH = re.compile(r"/tiles/([^/]+)/(-?\d{1,4})/(-?\d{1,9})/(-?\d{1,9})\.pbf")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _carries_credentials(environ: dict) -> bool:
    return "HTTP_AUTHORIZATION" in environ or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")


def _anonymous_tile(request: HttpRequest) -> HttpResponse:
    from tiles.views import respond_with_tile

    layers, z, x, y = PATH.fullmatch(request.path_info).groups()
    try:
        return respond_with_tile(request, layers, int(z), int(x), int(y), ANONYMOUS)
    except Exception as exc:
        response = error_response(exc)
        if response is None:
            raise  # a server error: Django logs it and answers 500, as on the full stack
        return response


def _with_header_middleware(view: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """`view` inside settings.HEADER_MIDDLEWARE, built the way Django builds its stack."""
    handler = convert_exception_to_response(view)
    for path in reversed(settings.HEADER_MIDDLEWARE):
        handler = convert_exception_to_response(import_string(path)(handler))
    return handler


def with_tile_lane(django_app: WSGIApp) -> WSGIApp:
    """`django_app`, with anonymous tile requests answered by the lane."""
    respond = _with_header_middleware(_anonymous_tile)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (
            environ["REQUEST_METHOD"] != "GET"
            or PATH.fullmatch(environ.get("PATH_INFO", "")) is None
            or _carries_credentials(environ)
        ):
            return django_app(environ, start_response)
        response = respond(WSGIRequest(environ))
        # as django.core.handlers.wsgi.WSGIHandler; close() writes a missed tile to the cache
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response

    return application
