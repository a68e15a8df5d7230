"""CSRF for writes: checked when a browser session signs the request, not for Basic/token clients."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from spatial.errors import Forbidden

_checker = CsrfViewMiddleware(lambda request: HttpResponse())


def enforce_csrf(request: HttpRequest) -> None:
    """Refuse a cookie-authenticated write without a valid CSRF token (header X-CSRFToken)."""
    if getattr(request, "_dont_enforce_csrf_checks", False):
        return
    refusal = _checker.process_view(request, None, (), {})
    if refusal is not None:
        raise Forbidden("CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header")


def csrf_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST-only view whose CSRF check follows enforce_csrf."""
    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        enforce_csrf(request)
        return view(request, *args, **kwargs)

    return wrapper
