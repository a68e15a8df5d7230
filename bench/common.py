"""Shared set-up of benchmarks: a scratch database next to the platform's, migrated."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import psycopg

from spatial.config import DatabaseConfig


def use_scratch_database(name: str) -> DatabaseConfig:
    """Recreate database `name` on the platform's server and point Django at it (before setup)."""
    base = DatabaseConfig.from_url(os.environ.get("DATABASE_URL",
                                                  "postgres://postgres@127.0.0.1:5432/toancanh"))
    scratch = DatabaseConfig(name=name, user=base.user, password=base.password, host=base.host,
                             port=base.port)
    admin = DatabaseConfig(name="postgres", user=base.user, password=base.password, host=base.host,
                           port=base.port)
    with psycopg.connect(admin.as_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = scratch.as_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_of(runs: int, action: Callable[[], object],
            before: Callable[[], object] | None = None) -> list[float]:
    """Durations of `runs` calls (each after `before`, untimed)."""
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(timed(action))
    return times


def describe(times: list[float]) -> str:
    """'median X s (runs: …)' for printing."""
    return f"median {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"
