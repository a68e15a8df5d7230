"""HTTP adapters of the Open311 API: each view turns the query string into a call, and `answer` turns the
result or an Open311Error into a response in the format of the path's suffix (.json or .xml).

GET (and HEAD) everywhere; POST requests.{fmt} files a report (services.open311.filing). The views are
CSRF-exempt: Open311 clients send no cookies and a POST is held back by the per-address limit, or
comes with an api_key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from services.open311 import catalogue, filing, service_requests
from services.open311.encoding import CONTENT_TYPES, encode
from services.open311.errors import NotFound, Open311Error
from services.open311.parameters import language, request_query

logger = logging.getLogger(__name__)


def answer(request: HttpRequest, fmt: str, produce: Callable[[str], tuple[str, Any]],
           status: int = 200) -> HttpResponse:
    """`produce(language)` gives (XML root, data); encoded in `fmt`, or its error in the spec's format."""
    lang = language(request.GET, request.headers.get("Accept-Language", ""))
    try:
        if fmt not in CONTENT_TYPES:
            fmt = "json"
            shown = request.path.rsplit("/", 1)[-1][:60]
            raise NotFound(f"'{shown}': không có tài nguyên này; dùng đuôi .json hoặc .xml",
                           f"'{shown}': no such resource; use the suffix .json or .xml")
        root, data = produce(lang)
    except Open311Error as error:
        logger.info("open311 %s %s: %s", error.status, request.get_full_path()[:200], error.en)
        root, status = "errors", error.status
        data = [{"code": error.status, "description": error.message(lang)}]
    response = HttpResponse(encode(fmt, root, data), content_type=CONTENT_TYPES[fmt], status=status)
    response["Vary"] = "Accept-Language"
    return response


def open311_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view answering GET and HEAD only (else 405 with Allow), without a CSRF check."""
    return csrf_exempt(require_safe(wraps(view)(view)))


@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET discovery.{fmt}: the Service Discovery document."""
    url = request.build_absolute_uri("/open311/v2/")
    return answer(request, fmt, lambda lang: ("discovery", catalogue.discovery(url, lang)))


@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET services.{fmt}: the service list."""
    return answer(request, fmt, lambda lang: ("services", catalogue.services(lang)))


@open311_view
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """GET services/{code}.{fmt}: a service definition."""
    return answer(request, fmt, lambda lang: ("service_definition", catalogue.service_definition(code)))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.{fmt}: the service requests matching the query string; POST: file one (201)."""
    if request.method == "POST":
        return answer(request, fmt, lambda lang: ("service_requests", filing.file(request, lang)), status=201)

    def produce(lang: str) -> tuple[str, Any]:
        query = request_query(request.GET, catalogue.service_codes())
        return "service_requests", service_requests.find(query, lang)

    return answer(request, fmt, produce)


@open311_view
def one_request(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """GET requests/{id}.{fmt}: one service request, by its tracking code."""
    return answer(request, fmt, lambda lang: ("service_requests", service_requests.get(code, lang)))


@open311_view
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Our services are realtime (a request gets its id when filed), so no token is ever issued."""
    def produce(lang: str) -> tuple[str, Any]:
        shown = token[:60]
        raise NotFound(f"token '{shown}': không có mã tạm này (dịch vụ trả mã phản ánh ngay khi nhận)",
                       f"token '{shown}': no such token (requests get their id when filed)")

    return answer(request, fmt, produce)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /open311/v2/: 404 in the spec's format (JSON: no suffix told us otherwise)."""
    fmt = "xml" if rest.endswith(".xml") else "json"

    def produce(lang: str) -> tuple[str, Any]:
        raise NotFound(f"'{rest[:60]}': không có tài nguyên này", f"'{rest[:60]}': no such resource")

    return answer(request, fmt, produce)
