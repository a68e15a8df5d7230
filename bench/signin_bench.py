"""Benchmark: the cost of a rejected sign-in against one password hash check, measured in the same run.

HTTP Basic attempts go through Django's whole middleware chain in this process (django.test.Client)
on a scratch database, so the throttle's rows never lock anyone out of the platform's own database.
Each wrong password comes from its own client address (no lock builds up); the locked-out attempt
is the right password from an address that has just been locked. The reference is Django's
`check_password` of the same password against the user's stored hash (PBKDF2 by default).
"""

from __future__ import annotations

import argparse
import base64
import statistics
from collections.abc import Callable, Iterator

from bench.common import timed, use_scratch_database

USERNAME, PASSWORD = "bench.signin", "bench-signin-password"
TARGET_LOCKED = 0.05  # a refused attempt must cost under 5 % of one password hash check


def ms(times: list[float]) -> str:
    """'median X ms (min–max)' for printing."""
    low, high = 1000 * min(times), 1000 * max(times)
    return f"median {1000 * statistics.median(times):7.1f} ms ({low:.1f}–{high:.1f})"


def addresses() -> Iterator[str]:
    """Client addresses never used before in this run (one per attempt that must not lock)."""
    for n in range(1, 250 * 250):
        yield f"10.77.{n // 250}.{n % 250 + 1}"


def measure(runs: int, action: Callable[[], object]) -> list[float]:
    """Durations of `runs` calls after one untimed warm-up call."""
    action()
    return [timed(action) for _ in range(runs)]


def main() -> None:
    """Print the reference, a wrong password, an unknown name and a locked-out attempt, with ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed attempts that hash a password")
    parser.add_argument("--locked-runs", type=int, default=50, help="timed locked-out attempts")
    args = parser.parse_args()

    db = use_scratch_database("toancanh_bench_signin")
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.contrib.auth.hashers import check_password, get_hasher
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.create_user(USERNAME, password=PASSWORD)
    client = Client(HTTP_HOST="localhost")
    fresh = addresses()

    def basic(username: str, password: str, address: str, expected: int) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        status = client.get("/ogc/collections", HTTP_AUTHORIZATION=f"Basic {token}",
                            REMOTE_ADDR=address).status_code
        assert status == expected, f"{username} from {address}: {status}, expected {expected}"

    print(f"bench/signin: HTTP Basic through the middleware chain in-process, database {db.name}; "
          f"hasher {get_hasher().algorithm}, lock after {settings.AXES_FAILURE_LIMIT} failures of a name "
          f"at an address or {settings.SIGNIN_FAILURE_LIMIT_PER_ADDRESS} of an address")
    reference = measure(args.runs, lambda: check_password(PASSWORD, user.password))
    wrong = measure(args.runs, lambda: basic(USERNAME, "wrong-password", next(fresh), 401))
    unknown_names = (f"nobody-{n}" for n in range(10**6))
    unknown = measure(args.runs, lambda: basic(next(unknown_names), "guess", next(fresh), 401))
    attacker = next(fresh)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        basic(USERNAME, "wrong-password", attacker, 401)
    basic(USERNAME, "wrong-password", attacker, 429)  # the failure that locks
    counted = AccessAttempt.objects.get(ip_address=attacker).failures_since_start
    locked = measure(args.locked_runs, lambda: basic(USERNAME, PASSWORD, attacker, 429))
    assert AccessAttempt.objects.get(ip_address=attacker).failures_since_start == counted

    base = statistics.median(reference)
    print(f"  reference: one check_password                 {ms(reference)}")
    for label, times in (("wrong password (Basic, 401)", wrong), ("unknown username (Basic, 401)", unknown)):
        print(f"  {label:<46} {ms(times)} = {statistics.median(times) / base:.2f}× the reference")
    ratio = statistics.median(locked) / base
    print(f"  {'locked-out attempt, right password (429)':<46} {ms(locked)} = {ratio:.3f}× the reference "
          f"(target ≤ {TARGET_LOCKED}×: {'met' if ratio <= TARGET_LOCKED else 'missed'}; "
          f"not counted as a failure: the lock is not extended)")


if __name__ == "__main__":
    main()
