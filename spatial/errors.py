"""Errors that reach a person through HTTP: each carries its status and OGC exception code.

Other packages' errors (importer, tiles, registry, CRS) are mapped to these statuses in one table
(spatial.error_responses); views raise and never build error responses themselves.
"""

from __future__ import annotations


class IocError(Exception):
    """Root of request errors; `str()` is the message for the client (Vietnamese/English ok)."""

    status = 400
    code = "InvalidParameterValue"


class BadRequest(IocError):
    pass


class NotAuthenticated(IocError):
    status = 401
    code = "NotAuthenticated"


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


class PayloadTooLarge(IocError):
    status = 413
    code = "PayloadTooLarge"
