"""Webhook signatures, as Stripe and GitHub sign theirs: HMAC-SHA256 of "timestamp.body" with the
endpoint's secret, sent as X-Ioc-Signature: sha256=<hex> beside X-Ioc-Timestamp (Unix seconds)."""

from __future__ import annotations

import hashlib
import hmac
import time

PREFIX = "sha256="
TOLERANCE_S = 300  # a receiver refuses older timestamps: a captured request cannot be replayed later


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Ioc-Signature value of `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance_s: float = TOLERANCE_S,
           now: float | None = None) -> bool:
    """What a receiver checks: the signature matches (compared in constant time) and the timestamp is
    within `tolerance_s` of now. docs/notifications.md shows the same check for receivers elsewhere."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
