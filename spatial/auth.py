"""Authentication for GIS clients: HTTP Basic and personal tokens, with throttling, never on /admin/.

QGIS and GDAL send `Authorization: Basic …` (Django username and password) or
`Authorization: Bearer tc_…` / `Token tc_…` (a token from `ioc token create`). Tokens are stored
as SHA-256 digests only. Repeated failures are refused for a while (spatial.login_throttle).

CSRF: browsers resend Basic credentials by themselves, even with a form that another site submits,
so Basic stands in for a CSRF token only on a request that carries none of the headers browsers add
by themselves (BROWSER_HEADERS); a browser's request is held to Django's CSRF check like a session.
Tokens are never sent by a browser on its own, so they always skip it. The admin site signs in by
its own session login only.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from spatial.error_responses import error_response
from spatial.errors import NotAuthenticated
from spatial.login_throttle import is_locked_out, lockout_response
from spatial.models import ApiToken

TOKEN_PREFIX = "tc_"
BASIC_CACHE_SECONDS = 60  # a verified Basic header is remembered (password hashing is slow)
# Headers that browsers add by themselves and that no page can remove: Origin (every cross-origin
# and every POST request), Fetch Metadata (since 2020-2023) and the site's cookies (older browsers).
# QGIS, GDAL, OWSLib and curl send none of them.
BROWSER_HEADERS = ("Origin", "Sec-Fetch-Site", "Cookie")


class AuthenticationFailed(NotAuthenticated):
    """The credentials were wrong; the message says so without telling which part (401)."""


class SignInLocked(AuthenticationFailed):
    """Too many recent failures for this name at this address, or for this address."""


def issue_token(user: AbstractBaseUser, name: str) -> str:
    """Create a token for `user` and return its clear value (shown once, never stored)."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=_digest(secret))
    return f"{TOKEN_PREFIX}{prefix}_{secret}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def read_authorization(header: str) -> tuple[str, str]:
    """(scheme, credentials) of an Authorization header: the scheme is "basic", "token" (for Bearer
    and Token) or whatever else was sent, in lower case."""
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    return ("token" if scheme in ("bearer", "token") else scheme), value.strip()


def token_parts(value: str) -> tuple[str, str]:
    """(prefix, secret) of a personal token tc_<prefix>_<secret>; AuthenticationFailed if malformed."""
    try:
        prefix, secret = value.removeprefix(TOKEN_PREFIX).split("_", 1)
    except ValueError:
        raise AuthenticationFailed("malformed token") from None
    return prefix, secret


def _from_token(value: str) -> AbstractBaseUser:
    prefix, secret = token_parts(value)
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)) or not token.user.is_active:
        raise AuthenticationFailed("unknown or revoked token")
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute
    return token.user


def _from_basic(value: str, request: HttpRequest) -> AbstractBaseUser:
    key = "auth:basic:" + hashlib.sha256(value.encode()).hexdigest()
    if (user := cache.get(key)) is not None:
        return user
    try:
        username, password = base64.b64decode(value, validate=True).decode("utf-8").split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise AuthenticationFailed("malformed Basic credentials") from None
    user = authenticate(request, username=username, password=password)  # the request: for throttling
    if user is None:
        if is_locked_out(request):
            raise SignInLocked("too many failed sign-ins")
        raise AuthenticationFailed("wrong username or password")
    cache.set(key, user, BASIC_CACHE_SECONDS)
    return user


def user_from_header(header: str, request: HttpRequest) -> AbstractBaseUser:
    """The user an Authorization header of `request` names, or AuthenticationFailed."""
    scheme, value = read_authorization(header)
    if scheme == "basic":
        return _from_basic(value, request)
    if scheme == "token":
        return _from_token(value)
    raise AuthenticationFailed(f"unsupported authorization scheme {scheme!r}; use Basic or Bearer")


def sent_by_a_browser(request: HttpRequest) -> bool:
    """Whether the request carries a header that only browsers add (BROWSER_HEADERS), not empty."""
    return any(request.headers.get(name) for name in BROWSER_HEADERS)


def skips_csrf(header: str, request: HttpRequest) -> bool:
    """Whether these credentials stand in for a CSRF token: a token always, Basic from no browser."""
    return read_authorization(header)[0] != "basic" or not sent_by_a_browser(request)


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")


class HeaderAuthenticationMiddleware:
    """Signs in requests that carry an Authorization header (after Django's session middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization")
        if header and not request.path.startswith(_admin_prefix()):
            try:
                request.user = user_from_header(header, request)
            except SignInLocked:
                return lockout_response(request)
            except AuthenticationFailed as exc:
                return error_response(exc)
            if skips_csrf(header, request):
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
