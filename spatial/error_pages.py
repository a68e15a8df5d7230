"""Django's error handlers for what is refused before a view runs, as JSON like every other error."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from spatial.error_responses import error_response
from spatial.errors import BadRequest, IocError, PayloadTooLarge


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """handler400: a body over the upload limit is 413 (Payload Too Large); the rest 400."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1
        refused: IocError = PayloadTooLarge(f"dữ liệu gửi lên quá lớn / the body is larger than the "
                                            f"{limit} MB limit (IOC_MAX_UPLOAD_MB)")
    elif isinstance(exception, TooManyFieldsSent):
        refused = BadRequest("too many form fields")
    else:
        refused = BadRequest("the request is malformed")
    return error_response(refused)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an error raised outside a view (in a middleware, e.g. a token looked up while the
    database restarts) is answered as spatial.error_responses maps it; the rest is Django's 500."""
    exc = sys.exc_info()[1]  # Django calls this handler while it handles the exception
    response = error_response(exc) if isinstance(exc, Exception) else None
    return response or defaults.server_error(request)
