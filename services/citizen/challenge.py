"""A simple challenge against scripted filing, without any external service: a small sum to answer,
its answer signed into a token that expires (django.core.signing), so no state is kept."""

from __future__ import annotations

import secrets

from django.core import signing

SALT = "ioc.feedback.challenge"
MAX_AGE_S = 30 * 60


def new_challenge() -> dict[str, str]:
    """A question ("3 + 4 = ?") and the signed token to send back with its answer."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return {"question": f"{a} + {b} = ?", "token": signing.dumps(a + b, salt=SALT)}


def passed(token: str, answer: str) -> bool:
    """Whether `answer` is the sum the (unexpired, untampered) token asked."""
    try:
        expected = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
    except signing.BadSignature:
        return False
    return answer.strip() == str(expected)
