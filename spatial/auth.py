"""Authentication for GIS clients on every path: HTTP Basic and personal tokens, with throttling.

QGIS and GDAL send `Authorization: Basic …` (Django username and password) or
`Authorization: Bearer tc_…` / `Token tc_…` (a token from `ioc token create`). Tokens are stored
as SHA-256 digests only. Repeated failures are refused for a while (spatial.login_throttle).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from spatial.login_throttle import is_locked
from spatial.models import ApiToken

TOKEN_PREFIX = "tc_"
BASIC_CACHE_SECONDS = 60  # a verified Basic header is remembered (password hashing is slow)


class AuthenticationFailed(Exception):
    """The credentials were wrong; the message says so without telling which part."""


def issue_token(user: AbstractBaseUser, name: str) -> str:
    """Create a token for `user` and return its clear value (shown once, never stored)."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=_digest(secret))
    return f"{TOKEN_PREFIX}{prefix}_{secret}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _from_token(value: str) -> AbstractBaseUser:
    try:
        prefix, secret = value.removeprefix(TOKEN_PREFIX).split("_", 1)
    except ValueError:
        raise AuthenticationFailed("malformed token") from None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)) or not token.user.is_active:
        raise AuthenticationFailed("unknown or revoked token")
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute
    return token.user


def _from_basic(value: str) -> AbstractBaseUser:
    key = "auth:basic:" + hashlib.sha256(value.encode()).hexdigest()
    if (user := cache.get(key)) is not None:
        return user
    try:
        username, password = base64.b64decode(value, validate=True).decode("utf-8").split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise AuthenticationFailed("malformed Basic credentials") from None
    if is_locked(username):
        raise AuthenticationFailed("too many failed sign-ins; wait 15 minutes")
    user = authenticate(username=username, password=password)
    if user is None:
        raise AuthenticationFailed("wrong username or password")
    cache.set(key, user, BASIC_CACHE_SECONDS)
    return user


def user_from_header(header: str) -> AbstractBaseUser:
    """The user an Authorization header names, or AuthenticationFailed."""
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        return _from_basic(value.strip())
    if scheme in ("bearer", "token"):
        return _from_token(value.strip())
    raise AuthenticationFailed(f"unsupported authorization scheme {scheme!r}; use Basic or Bearer")


class HeaderAuthenticationMiddleware:
    """Signs in requests that carry an Authorization header (after Django's session middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header:
            try:
                request.user = user_from_header(header)
            except AuthenticationFailed as exc:
                response = JsonResponse({"code": "NotAuthenticated", "description": str(exc)}, status=401)
                response["WWW-Authenticate"] = 'Basic realm="Toan Canh", charset="UTF-8"'
                return response
            request._dont_enforce_csrf_checks = True  # no cookies involved: CSRF does not apply
        return self.get_response(request)
