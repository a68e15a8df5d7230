"""Writes need a signed-in user (401 with a challenge) and, from a browser, a CSRF token (403).

Which credentials stand in for the token is decided where they are read (spatial.auth): a token
always, HTTP Basic only from a client that is not a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from spatial.errors import Forbidden, NotAuthenticated

_checker = CsrfViewMiddleware(lambda request: HttpResponse())


def enforce_csrf(request: HttpRequest) -> None:
    """Refuse an anonymous write (401), then a browser's write without a valid CSRF token (403).

    The token is the csrftoken cookie's value, sent in the X-CSRFToken header.
    """
    if not request.user.is_authenticated:
        raise NotAuthenticated("cần đăng nhập để sửa dữ liệu / sign in to edit: HTTP Basic, "
                               "a Bearer token or the map's sign-in")
    if getattr(request, "_dont_enforce_csrf_checks", False):
        return
    refusal = _checker.process_view(request, None, (), {})
    if refusal is not None:
        raise Forbidden("kiểm tra CSRF không đạt: hãy tải lại trang "
                        "(gửi giá trị cookie csrftoken trong tiêu đề X-CSRFToken)",
                        "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header")


def csrf_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST-only view whose CSRF check follows enforce_csrf."""
    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        enforce_csrf(request)
        return view(request, *args, **kwargs)

    return wrapper
