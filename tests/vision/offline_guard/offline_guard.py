"""Offline guard for the tests (PEP 578 audit hook): every non-loopback network attempt is logged and refused.

While IOC_OFFLINE_GUARD=1 it prints NETWORK-ATTEMPT to stderr, records the attempt in ATTEMPTS and
raises PermissionError (an OSError), so the caller's own error handling runs and the test sees the
attempt in the logs. Unix sockets (PostgreSQL) and loopback pass.
"""

import os
import sys

ATTEMPTS: list[str] = []

_LOCAL = {"localhost", "::1", "", "0.0.0.0"}  # noqa: S104  (a bind address, not a destination)
_HOST = {
    "socket.getaddrinfo": lambda args: args[0],
    "socket.connect": lambda args: args[1][0] if isinstance(args[1], tuple) else None,
    "urllib.Request": lambda args: args[0],
}


def _guard(event, args):
    pick = _HOST.get(event)
    if pick is None or os.environ.get("IOC_OFFLINE_GUARD") != "1":
        return
    host = pick(args)
    host = host.decode() if isinstance(host, bytes) else host
    if host is None or host in _LOCAL or str(host).startswith("127."):
        return
    if event == "urllib.Request" and str(host).startswith(("http://127.", "http://localhost")):
        return
    ATTEMPTS.append(f"{event} {host}")
    sys.stderr.write(f"NETWORK-ATTEMPT {event} {host!r}\n")
    raise PermissionError(f"network refused offline: {event} {host}")


if not getattr(sys, "_toancanh_offline_guard", False):
    sys.addaudithook(_guard)
    sys._toancanh_offline_guard = True
