"""The queue's worker in the test process: committed rows (the worker reads them on its own connection), the
notify queue's worker run in this process for a bounded time, and the notify settings pointed at the
receivers of tests/receivers.py. Fixtures for any test of what leaves the platform through the outbox
(tests/notify, tests/alerts); a conftest imports them by name."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from receivers import Mailbox


@pytest.fixture
def committed(db) -> Iterator[Callable]:
    """committed(fn, *args, **kwargs) runs fn as the application would: in a thread of its own, on its own
    database connection, outside the test's transaction, so what it writes is committed and the queue's
    worker sees it. The test's own connection reads committed rows (READ COMMITTED). The outbox's rows and
    the jobs queued meanwhile are removed after the test."""
    from django.db import connection

    def run(fn: Callable, *args, **kwargs):
        outcome: dict = {}

        def target() -> None:
            try:
                outcome["value"] = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 (raised again in the caller's thread)
                outcome["error"] = exc
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def sql(*statements: tuple[str, list]) -> list:
        with connection.cursor() as cursor:
            results = []
            for statement, params in statements:
                cursor.execute(statement, params)
                results.append(cursor.fetchone() if cursor.description else None)
            return results

    (last_job, last_endpoint, started) = run(sql, (
        "SELECT (SELECT coalesce(max(id), 0) FROM procrastinate_jobs),"
        " (SELECT coalesce(max(id), 0) FROM notify_webhookendpoint), clock_timestamp()", []))[0]
    yield run
    run(sql,
        ("DELETE FROM notify_delivery WHERE endpoint_id > %s"
         " OR event_id IN (SELECT id FROM notify_event WHERE occurred_at >= %s)", [last_endpoint, started]),
        ("DELETE FROM notify_event WHERE occurred_at >= %s", [started]),
        ("DELETE FROM notify_webhookendpoint WHERE id > %s", [last_endpoint]),
        # the notify jobs, and the periodic jobs an in-process worker defers (vision's housekeeping)
        ("DELETE FROM procrastinate_jobs WHERE id > %s AND status <> 'doing'", [last_job]))


@pytest.fixture
def run_jobs(committed) -> Callable[..., None]:
    """run_jobs(until, timeout) runs the notify queue's worker in this process (on its own database
    connection, as `ioc procrastinate worker --queues notify` does) until `until()` is true; without
    `until`, until the queue holds nothing due."""
    from procrastinate.contrib.django import app

    from notify.tasks import QUEUE

    def run(until: Callable[[], object] | None = None, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        with app.replace_connector(app.connector.get_worker_connector()):
            while True:
                app.run_worker(queues=[QUEUE], wait=False, listen_notify=False, concurrency=1)
                if until is None or until():
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"the notify jobs did not finish within {timeout} s")
                time.sleep(0.05)

    return run


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
