"""The tile lane: anonymous tile requests answered without the machinery that pages need.

A map wall asks for hundreds of tiles a minute and a typical tile is a short query, so the request
pipeline (sessions, locale, CSRF, messages, URL routing, then Django's response object and
middleware chain) weighed as much as the SQL (figures: docs/benchmarks.md). This WSGI wrapper
answers `GET /tiles/{layers}/{z}/{x}/{y}.pbf` (and HEAD: the same headers, no body) itself when
the request carries no credentials (no Authorization header, no session cookie): the same view
code (tiles.views.tile_answer: access rules, renderer, cache, headers) given the query parameters
and If-None-Match straight from the WSGI environ, returned as one buffer. (Even a few microseconds
count: the server thread wakes with cold CPU caches after the query, where Python runs several
times slower than in a loop; docs/benchmarks.md.)

The headers settings.HEADER_MIDDLEWARE adds (security headers, HSTS) are learnt by running that
middleware once around an empty answer, for plain and for secure requests, and then added to
every tile: what those middleware add depends on the request only through `is_secure()` (the WSGI
scheme and the trusted proxy header, settings.SECURE_PROXY_SSL_HEADER). Where the
middleware answers by itself (an HTTPS redirect), and for every error, the answer goes through the
middleware chain as Django builds it, with the platform's error mapping. Every other request goes
to Django's full stack unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus

from django.conf import settings
from django.core import signals
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.module_loading import import_string

from spatial.access import ANONYMOUS
from spatial.error_responses import error_response

# ASCII digits only, as the URLconf's (a Unicode digit such as '١' names no tile there either)
PATH = re.compile(r"/tiles/([^/]+)/(-?[0-9]{1,4})/(-?[0-9]{1,9})/(-?[0-9]{1,9})\.pbf")
METHODS = ("GET", "HEAD")

STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
View = Callable[[HttpRequest], HttpResponse]


def _carries_credentials(environ: dict) -> bool:
    return "HTTP_AUTHORIZATION" in environ or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")


def _through_header_middleware(view: View, request: HttpRequest) -> HttpResponse:
    """`view`'s response to `request` inside settings.HEADER_MIDDLEWARE, built as Django builds it."""
    handler = convert_exception_to_response(view)
    for path in reversed(settings.HEADER_MIDDLEWARE):
        handler = convert_exception_to_response(import_string(path)(handler))
    return handler(request)


_ADDED_HEADERS: dict[bool, list[tuple[str, str]] | None] = {}  # by _is_secure()


@receiver(setting_changed)
def _forget_added_headers(**_: object) -> None:
    """Settings change only in tests; the header middleware may then add something else."""
    _ADDED_HEADERS.clear()


def _is_secure(environ: dict) -> bool:
    """`request.is_secure()` as Django decides it (HttpRequest.scheme): the trusted proxy header
    (settings.SECURE_PROXY_SSL_HEADER) when set and sent, else the WSGI scheme."""
    if proxy_header := settings.SECURE_PROXY_SSL_HEADER:
        name, secure_value = proxy_header
        if (value := environ.get(name)) is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ["wsgi.url_scheme"] == "https"


def _header_middleware_headers(environ: dict) -> list[tuple[str, str]] | None:
    """What settings.HEADER_MIDDLEWARE adds to an answer, or None when it answers by itself."""
    secure = _is_secure(environ)
    if secure not in _ADDED_HEADERS:
        probe = HttpResponse()
        before = set(probe.headers)
        answer = _through_header_middleware(lambda _: probe, WSGIRequest(environ))
        _ADDED_HEADERS[secure] = (
            [(name, value) for name, value in answer.items() if name not in before]
            if answer is probe
            else None
        )
    return _ADDED_HEADERS[secure]


def _tile_view(request: HttpRequest) -> HttpResponse:
    from tiles.views import respond_with_tile

    layers, z, x, y = PATH.fullmatch(request.path_info).groups()
    try:
        return respond_with_tile(request, layers, int(z), int(x), int(y), ANONYMOUS)
    except Exception as exc:  # noqa: BLE001 - mapped by error_response, else re-raised
        return _error_view(exc)(request)


def _error_view(exc: Exception) -> View:
    """A view answering `exc` with the platform's error mapping (a server error is left to Django:
    logged, 500)."""

    def view(_: HttpRequest) -> HttpResponse:
        response = error_response(exc)
        if response is None:
            raise exc
        return response

    return view


def _as_wsgi(response: HttpResponse, start_response: Callable, environ: dict) -> HttpResponse:
    """As django.core.handlers.wsgi.WSGIHandler returns a response (without its body for HEAD)."""
    from tiles.views import without_body

    if environ["REQUEST_METHOD"] == "HEAD":
        response = without_body(response)
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return response


class _Body:
    """A tile's bytes, with what is left to do once they are sent: the server calls `close()` after
    sending (WSGI), so a rendered tile's cache write costs its request nothing. (granian calls close
    only on an iterable that is not a list.)"""

    def __init__(self, content: bytes, after: list[Callable[[], None]]) -> None:
        self.content, self.after = content, after

    def __iter__(self) -> Iterator[bytes]:
        yield self.content

    def close(self) -> None:
        for task in self.after:
            task()


def with_tile_lane(django_app: WSGIApp) -> WSGIApp:
    """`django_app`, with anonymous tile requests answered by the lane."""
    from tiles.views import tile_answer

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        match = PATH.fullmatch(environ.get("PATH_INFO", "")) if method in METHODS else None
        if match is None or _carries_credentials(environ):
            return django_app(environ, start_response)
        added = _header_middleware_headers(environ)
        if added is None:
            response = _through_header_middleware(_tile_view, WSGIRequest(environ))
            return _as_wsgi(response, start_response, environ)
        layers, z, x, y = match.groups()
        query = environ.get("QUERY_STRING")  # as WSGIRequest.GET reads it, when there is one
        params = QueryDict(get_bytes_from_wsgi(environ, "QUERY_STRING", "")) if query else {}
        after: list[Callable[[], None]] = []
        try:
            answer = tile_answer(params, environ.get("HTTP_IF_NONE_MATCH"), layers, int(z), int(x), int(y),
                                 ANONYMOUS, after, environ.get("HTTP_ACCEPT_ENCODING"))
        except Exception as exc:  # noqa: BLE001 - mapped by error_response, else re-raised
            request = WSGIRequest(environ)
            return _as_wsgi(_through_header_middleware(_error_view(exc), request), start_response, environ)
        finally:
            if params and connection.connection is not None:  # a ward lookup took a connection: give it back
                signals.request_finished.send(sender=with_tile_lane)
        start_response(STATUS_LINES[answer.status], [*answer.headers.items(), *added])
        body = b"" if method == "HEAD" else answer.body  # the headers still count the tile's bytes
        return _Body(body, after) if after else [body]

    return application
