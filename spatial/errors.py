"""Errors that reach a person through HTTP: each carries its status and OGC exception code.

Other packages' errors (importer, tiles, registry, CRS) declare the same two attributes; one module
(spatial.error_responses) turns any of them into the JSON answer, and nothing else builds error
bodies: views, middlewares and Django's error handlers raise or hand over one of these.
"""

from __future__ import annotations


class IocError(Exception):
    """Root of request errors: `IocError(vi, en)` answers in Vietnamese, in English under `?lang=en`
    (spatial.error_responses asks `message(language)`); with one text, that text in both.

    `extra` adds members to the JSON body (e.g. the current feature of a 412), `headers` to the
    response (e.g. its ETag).
    """

    status = 400
    code = "InvalidParameterValue"
    extra: dict = {}  # noqa: RUF012  (read-only class default)
    headers: dict = {}  # noqa: RUF012

    def __init__(self, message: str = "", en: str | None = None) -> None:
        super().__init__(message if en is None else f"{message} / {en}")
        self.vi, self.en = message, en

    def message(self, language: str) -> str:
        if self.en is None:
            return str(self)
        return self.en if language == "en" else self.vi


class BadRequest(IocError):
    pass


class NotAuthenticated(IocError):
    status = 401
    code = "NotAuthenticated"


class LoginFailed(IocError):
    """Wrong credentials on the map's sign-in form (400, not 401: no browser password dialog)."""

    status = 400
    code = "LoginFailed"


class Forbidden(IocError):
    status = 403
    code = "Forbidden"


class NotFound(IocError):
    status = 404
    code = "NotFound"


class Conflict(IocError):
    status = 409
    code = "Conflict"


class PreconditionFailed(IocError):
    status = 412
    code = "PreconditionFailed"


class PreconditionRequired(IocError):
    status = 428
    code = "PreconditionRequired"


class TooManyRequests(IocError):
    """429 with Retry-After: `seconds` to wait."""

    status = 429
    code = "TooManyRequests"

    def __init__(self, message: str, seconds: int, en: str | None = None) -> None:
        super().__init__(message, en)
        self.headers = {"Retry-After": str(seconds)}


class PayloadTooLarge(IocError):
    status = 413
    code = "PayloadTooLarge"


class ServiceUnavailable(IocError):
    status = 503
    code = "ServiceUnavailable"
    headers = {"Retry-After": "1"}  # noqa: RUF012


class UnsupportedMediaType(IocError):
    status = 415
    code = "UnsupportedMediaType"
