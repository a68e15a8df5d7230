"""`ioc serve`: the platform's HTTP server (granian, WSGI on threads), as in production.

Granian's HTTP side is in Rust: a request costs little beyond the WSGI application's own time, where
gunicorn's gthread workers (an acceptor thread handing each request to a pool) cost more per request.
That matters for tiles, whose SQL is short and which the map wall asks for by the hundred (figures:
docs/benchmarks.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser


def server_arguments(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The one definition of how the platform is served (up.sh, compose, tests and benches)."""
    return [
        "granian",
        "ioc.wsgi:application",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "10",
        "--log-level",
        "warning",
    ]


REQUEST_THREADS = 8  # threads per worker for ordinary requests
STATEMENT_TIMEOUT_MS = "20000"  # a request's SQL statement on the server: at most 20 s, unless set


def server_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment the server's workers read their settings from: a statement time limit by
    default (IOC_STATEMENT_TIMEOUT_MS), which command-line jobs such as imports do not have."""
    return {"IOC_STATEMENT_TIMEOUT_MS": STATEMENT_TIMEOUT_MS, **environ}


def default_threads() -> int:
    """IOC_THREADS, else enough threads that live-feed clients (each holds one) never starve requests."""
    from django.conf import settings

    return int(os.environ.get("IOC_THREADS", REQUEST_THREADS + settings.CONFIG.live_max_clients))


class Command(BaseCommand):
    help = "Chạy máy chủ HTTP. Serve the platform over HTTP (granian, WSGI threads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("IOC_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=default_threads())

    def handle(self, *args: object, **options: object) -> None:
        sibling = Path(sys.executable).with_name("granian")
        executable = str(sibling) if sibling.exists() else shutil.which("granian")
        if executable is None:
            raise CommandError("granian is not installed: run scripts/up.sh (it installs the dependencies)")
        arguments = server_arguments(options["host"], options["port"], options["workers"], options["threads"])
        os.execve(executable, arguments, server_environment(dict(os.environ)))
