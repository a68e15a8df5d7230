"""The one place where exceptions become HTTP error responses (JSON, OGC exception shape).

Errors declare their answer themselves, as pygeoapi's and tipg's do: a class attribute `status`
(an HTTP status) and optionally `code` (the OGC exception code); spatial.errors.IocError is the root
of ours, and other packages' errors (importer, tiles, registry) carry the same two attributes, so
this module imports none of them. An error with a `message(language)` method answers in the
request's language: Vietnamese, English under `?lang=en`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from spatial import language
from spatial.database_health import (
    DatabaseUnavailable,
    StatementTimeout,
    database_unreachable,
    statement_timed_out,
)

logger = logging.getLogger(__name__)
CHALLENGE = 'Basic realm="Toan Canh", charset="UTF-8"'  # sent with every 401


def error_response(exc: Exception, language: str = "vi") -> JsonResponse | None:
    """The response for a known error, or None to let Django handle it (a real server error);
    `language` ("vi" or "en") for errors that speak both."""
    if database_unreachable(exc):  # a restart or an outage: 503, without the driver's text
        logger.warning("the database is unreachable: %s", exc)
        exc = DatabaseUnavailable()
    elif statement_timed_out(exc):  # IOC_STATEMENT_TIMEOUT_MS: the worker is free again
        exc = StatementTimeout(settings.CONFIG.statement_timeout_ms)
    status = getattr(type(exc), "status", None)
    if not isinstance(status, int) or isinstance(status, bool):
        return None
    code = getattr(exc, "code", None) or "InvalidParameterValue"
    describe = getattr(exc, "message", None)
    description = describe(language) if callable(describe) else str(exc)
    body = {"code": code, "description": description, **getattr(exc, "extra", {})}
    response = JsonResponse(body, status=status)
    for header, value in getattr(exc, "headers", {}).items():
        response[header] = value
    if status == 401:
        response["WWW-Authenticate"] = CHALLENGE
    return response


class ErrorMiddleware:
    """Turns the platform's errors raised in views into JSON 4xx responses (503 for a database that
    does not answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> JsonResponse | None:
        response = error_response(exc, language.of(request))
        if response is not None:
            logger.info("%s %s → %s: %s", request.method, request.path, response.status_code, exc)
        return response
