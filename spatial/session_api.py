"""The browser session: `GET /api/session` (who is signed in, roles, wards, CSRF token), login, logout."""

from __future__ import annotations

import json

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from spatial.access import Viewer
from spatial.errors import BadRequest, LoginFailed


@never_cache
@require_GET
def session_view(request: HttpRequest) -> JsonResponse:
    """GET /api/session."""
    return session(request)


def session(request: HttpRequest) -> JsonResponse:
    """The viewer as the map sees it (anonymous: no roles); sets the csrftoken cookie."""
    viewer = Viewer.of(request.user)
    return JsonResponse({"username": viewer.username or None, "roles": sorted(viewer.roles),
                         "wards": sorted(viewer.ward_ids), "csrfToken": get_token(request)})


@never_cache
@require_POST
def login(request: HttpRequest) -> JsonResponse:
    """POST {"username", "password"} (JSON, X-CSRFToken header): sign the browser session in."""
    try:
        body = json.loads(request.body or b"{}")
        username, password = str(body["username"]), str(body["password"])
    except (ValueError, KeyError, TypeError):
        raise BadRequest('send JSON {"username": …, "password": …}') from None
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise LoginFailed("tên đăng nhập hoặc mật khẩu không đúng / wrong username or password")
    auth_login(request, user)
    return session(request)


@never_cache
@require_POST
def logout(request: HttpRequest) -> JsonResponse:
    """POST: end the browser session."""
    auth_logout(request)
    return session(request)
