"""The platform served for benchmarks (`ioc serve`), a keep-alive HTTP client, and database probes."""

from __future__ import annotations

import argparse
import http.client
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pycurl

from spatial.config import DatabaseConfig

APP = None  # None: `ioc serve` (granian, as in production); else an app for uvicorn


def database_config() -> DatabaseConfig:
    """The platform's database (DATABASE_URL, as scripts/lib.sh sets it)."""
    return DatabaseConfig.from_url(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toancanh")
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """`ioc serve` (or uvicorn serving `app`) on a free port; its database sessions carry `app_name`.

    The server's PostgreSQL connections are tagged with PGAPPNAME, so pg_stat_activity tells
    which statements and connections were the server's.
    """

    def __init__(
        self,
        app_name: str,
        env: dict[str, str] | None = None,
        workers: int = 1,
        app: str | None = APP,
        interface: str = "auto",
    ) -> None:
        self.port = free_port()
        self.app_name = app_name
        self.log = tempfile.NamedTemporaryFile(prefix=f"{app_name}-", suffix=".log", delete=False)
        environment = {**os.environ, "PGAPPNAME": app_name, **(env or {})}
        command = [
            sys.executable,
            "-m",
            "ioc.cli",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
        ]
        if app:
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                app,
                "--interface",
                interface,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ]
        self.process = subprocess.Popen(command, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        log = Path(self.log.name).read_text()[-3000:]
        self.stop()  # removes the log
        raise RuntimeError(f"the server did not start; its log:\n{log}")

    def stop(self) -> None:
        """Stop the server (this process only) and remove its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


class Client:
    """One keep-alive HTTP/1.1 connection through libcurl (GDAL's HTTP library, so what ogrinfo
    and QGIS's GDAL providers pay); `get` times the request until the last byte is read.

    Python's http.client parses headers in Python and cost 0.1-0.2 ms more per request here,
    which would be counted against the server.
    """

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.headers = headers or {}
        self.curl = pycurl.Curl()
        self.curl.setopt(pycurl.TCP_NODELAY, 1)
        self.curl.setopt(pycurl.TIMEOUT, 120)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        """GET `path` (libcurl reconnects by itself if the server closed the idle connection)."""
        body, received = io.BytesIO(), []
        self.curl.setopt(pycurl.URL, self.base + path)
        sent = {**self.headers, **(headers or {})}
        self.curl.setopt(pycurl.HTTPHEADER, [f"{name}: {value}" for name, value in sent.items()])
        self.curl.setopt(pycurl.WRITEDATA, body)
        self.curl.setopt(pycurl.HEADERFUNCTION, received.append)
        start = time.perf_counter()
        self.curl.perform()
        seconds = time.perf_counter() - start
        fields = (line.decode("latin-1").split(":", 1) for line in received if b":" in line)
        answered = {name.strip().lower(): value.strip() for name, value in fields}
        return Response(self.curl.getinfo(pycurl.RESPONSE_CODE), answered, body.getvalue(), seconds)

    def close(self) -> None:
        self.curl.close()


class DatabaseActivity:
    """What the server did in the database between `start()` and `stop()` (from the statistics views)."""

    def __init__(self, database: DatabaseConfig, app_name: str) -> None:
        self.connection = psycopg.connect(database.as_url(), autocommit=True)
        self.database = database.name
        self.app_name = app_name
        self.started_at = None
        self.before: tuple[int, int] = (0, 0)

    def _counters(self) -> tuple[int, int]:
        self.connection.execute("SELECT pg_stat_clear_snapshot()")
        row = self.connection.execute(
            "SELECT xact_commit + xact_rollback, sessions FROM pg_stat_database WHERE datname = %s",
            [self.database],
        ).fetchone()
        return int(row[0]), int(row[1])

    def start(self) -> None:
        time.sleep(1.1)  # backends flush their statistics at most once a second
        self.before = self._counters()
        self.started_at = self.connection.execute("SELECT clock_timestamp()").fetchone()[0]

    def stop(self) -> tuple[int, int, int]:
        """(server sessions that ran or opened since start, transactions and sessions database-wide)."""
        time.sleep(1.1)
        server = self.connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND (backend_start >= %s OR state_change >= %s)",
            [self.app_name, self.started_at, self.started_at],
        ).fetchone()[0]
        after = self._counters()
        return int(server), after[0] - self.before[0], after[1] - self.before[1]

    def close(self) -> None:
        self.connection.close()


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose how the benchmarked server runs (default: `ioc serve`)."""
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument(
        "--app",
        default=None,
        help="serve this app with uvicorn instead of `ioc serve`, e.g. ioc.asgi:application",
    )
    parser.add_argument("--interface", default="auto", choices=("auto", "asgi3", "wsgi"))
    parser.add_argument(
        "--peer-sized",
        action="store_true",
        help="run on a copy of the demo city grown to the peers' size (bench/peer_data.py)",
    )


def setup_django(peer_sized: bool = False) -> DatabaseConfig:
    """Set Django up in the benchmark process; return the platform's database (or, `peer_sized`,
    its copy at the peers' size, which servers started afterwards use too)."""
    if peer_sized:
        from bench.peer_data import use_peer_sized_database

        use_peer_sized_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
    import django

    django.setup()
    return database_config()
