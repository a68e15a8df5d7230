"""The one place where exceptions become HTTP error responses (JSON, OGC exception shape)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from etl.errors import EtlError
from layers.registry import UnknownLayer
from spatial.crs import CRSError
from spatial.database_health import (
    DatabaseUnavailable,
    StatementTimeout,
    database_unreachable,
    statement_timed_out,
)
from spatial.errors import IocError
from tiles.grid import TileOutOfRange

logger = logging.getLogger(__name__)

# exception class → (HTTP status, OGC exception code); the first matching class wins.
STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (IocError, 0, ""),  # carries its own
    (UnknownLayer, 404, "NotFound"),
    (TileOutOfRange, 400, "InvalidParameterValue"),
    (CRSError, 400, "InvalidParameterValue"),
    (EtlError, 0, "InvalidParameterValue"),
)


def error_response(exc: Exception) -> JsonResponse | None:
    """The response for a known error, or None to let Django handle it (a real server error)."""
    if database_unreachable(exc):  # a restart or an outage: 503, without the driver's text
        logger.warning("the database is unreachable: %s", exc)
        exc = DatabaseUnavailable()
    elif statement_timed_out(exc):  # IOC_STATEMENT_TIMEOUT_MS: the worker is free again
        exc = StatementTimeout(settings.CONFIG.statement_timeout_ms)
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            status = status or getattr(exc, "status", 400)
            code = code or getattr(exc, "code", "InvalidParameterValue")
            body = {"code": code, "description": str(exc), **getattr(exc, "extra", {})}
            response = JsonResponse(body, status=status)
            for header, value in getattr(exc, "headers", {}).items():
                response[header] = value
            if status == 401:
                response["WWW-Authenticate"] = 'Basic realm="Toan Canh", charset="UTF-8"'
            return response
    return None


class ErrorMiddleware:
    """Turns the platform's errors raised in views into JSON 4xx responses (503 for a database that
    does not answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> JsonResponse | None:
        response = error_response(exc)
        if response is not None:
            logger.info("%s %s → %s: %s", request.method, request.path, response.status_code, exc)
        return response
