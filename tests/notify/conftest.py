"""Notification fixtures: committed rows and the worker run in this process (tests/jobs.py), and the
notify settings pointed at the receivers of tests/receivers.py (an HTTP server, SMTP, an MQTT subscriber)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from jobs import committed, run_jobs  # noqa: F401  (fixtures)
from receivers import Mailbox

# --- settings -----------------------------------------------------------------------------------------------


@pytest.fixture
def notify_settings() -> Iterator[Callable[..., None]]:
    """notify_settings(mailbox=…, **changes): settings.NOTIFY with `changes` (short retries by default) and,
    given a Mailbox, Django's SMTP back end pointed at it, until the test ends."""
    import dataclasses

    from django.conf import settings
    from django.test import override_settings

    applied = []

    def apply(*, mailbox: Mailbox | None = None, **changes) -> None:
        changes = {"backoff_s": 1.5, "timeout_s": 2.0, **changes}
        mail = {} if mailbox is None else {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": mailbox.host, "EMAIL_PORT": mailbox.port,
            "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
        }
        override = override_settings(NOTIFY=dataclasses.replace(settings.NOTIFY, **changes), **mail)
        override.enable()
        applied.append(override)

    yield apply
    for override in reversed(applied):
        override.disable()
