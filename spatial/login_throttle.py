"""Sign-in throttling for every way in (admin form, HTTP Basic): too many failures wait 15 minutes."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES, WINDOW_SECONDS = 10, 900


def _key(username: str | None) -> str:
    return f"auth:failures:{(username or '').lower()}"


class ThrottledModelBackend(ModelBackend):
    """Django's username/password check, refusing a name after MAX_FAILURES recent failures."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: object):
        if cache.get(_key(username), 0) >= MAX_FAILURES:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            cache.set(_key(username), cache.get(_key(username), 0) + 1, WINDOW_SECONDS)
        return user


def is_locked(username: str) -> bool:
    """Whether this name is refused for now (to tell the person why)."""
    return cache.get(_key(username), 0) >= MAX_FAILURES
