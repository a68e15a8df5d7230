"""Whether the credentials that opened a live stream still hold, checked again while it is open.

A stream outlives the request that signed it in, so web_map.live asks every
IOC_LIVE_RECHECK_SECONDS: a personal token must still be unrevoked and its user active; HTTP Basic
needs the user active with the same password; a browser session must still exist (not logged out,
not expired) for the same user, active, with the same password. Each check is one or two indexed
queries; no password is hashed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.http import HttpRequest

from spatial.auth import read_authorization, token_parts
from spatial.models import ApiToken


@dataclass(frozen=True)
class Credentials:
    """What signed a live client in (nothing, for an anonymous client)."""

    user_id: int | None = None
    password: str = ""  # the user's password hash when the stream opened
    token_prefix: str | None = None
    session_key: str | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> Credentials:
        user = request.user
        if not user.is_authenticated:
            return cls()
        scheme, value = read_authorization(request.headers.get("Authorization", ""))
        if scheme == "token":  # signed in by it, so well formed
            return cls(user.pk, token_prefix=token_parts(value)[0])
        if scheme == "basic":
            return cls(user.pk, user.password)
        return cls(user.pk, user.password, session_key=request.session.session_key)

    def hold(self) -> bool:
        """Whether these credentials would still sign the client in."""
        if self.user_id is None:
            return True
        users = get_user_model().objects.filter(pk=self.user_id, is_active=True)
        if self.token_prefix is not None:  # a token outlives password changes, not its user
            return ApiToken.objects.filter(prefix=self.token_prefix, revoked_at__isnull=True,
                                           user__in=users).exists()
        if self.session_key is not None:
            session = import_module(settings.SESSION_ENGINE).SessionStore(self.session_key)
            if session.get(SESSION_KEY) != str(self.user_id):  # logged out, flushed or expired
                return False
        return users.filter(password=self.password).exists()
