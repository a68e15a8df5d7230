"""Sign-in throttling for every way in (map sign-in, admin form, HTTP Basic), kept by django-axes.

Failures are rows in the database (axes' AccessAttempt), so every worker process sees the same
counts. A username at a client address is refused after AXES_FAILURE_LIMIT recent failures, an
address after SIGNIN_FAILURE_LIMIT_PER_ADDRESS (whatever the usernames); the same username from
another address is still let in. The refusal comes before any password hashing (axes' backend is
first in AUTHENTICATION_BACKENDS), refused attempts do not extend the lock, and a lock ends
AXES_COOLOFF_TIME after the last failure it counted. The client address is REMOTE_ADDR, or the
address a trusted reverse proxy forwarded (spatial.client_address).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse

from spatial.error_responses import error_response
from spatial.errors import TooManyRequests

LOCKED_CODE = "TooManySignIns"


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database handler with a limit for each lockout parameter, not one for all.

    AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"]. Axes compares one number
    with AXES_FAILURE_LIMIT, so the address count is scaled: it reaches AXES_FAILURE_LIMIT exactly
    when it reaches SIGNIN_FAILURE_LIMIT_PER_ADDRESS.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failures of this username at this address, or of this address scaled to the same limit."""
        name_at_address, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = address * settings.AXES_FAILURE_LIMIT // settings.SIGNIN_FAILURE_LIMIT_PER_ADDRESS
        return max(name_at_address, scaled)


def is_locked_out(request: HttpRequest) -> bool:
    """Whether axes refused (or just locked) the sign-in attempted on this request."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> JsonResponse:
    """429 with Retry-After (AXES_LOCKOUT_CALLABLE; also answers a locked HTTP Basic attempt)."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = max(1, seconds // 60)
    refused = TooManyRequests(f"đăng nhập sai quá nhiều lần từ địa chỉ này, hãy thử lại sau {minutes} phút / "
                              f"too many failed sign-ins from this address: try again in {minutes} minutes",
                              seconds)
    refused.code = LOCKED_CODE
    return error_response(refused)
