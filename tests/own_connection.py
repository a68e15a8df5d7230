"""Writing as the platform's own processes do: on a connection of its own, committed at once, so a live
server or a queue worker started by the test sees it (the test's own transaction is never committed)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def committed(fn: Callable, *args: object) -> object:
    """Run `fn(*args)` in a thread with its own database connection (autocommit) and return its value."""
    from django.db import connection

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = fn(*args)
        except BaseException as error:  # noqa: BLE001 (raised again in the caller's thread)
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
