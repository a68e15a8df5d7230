"""Suite-wide fixtures: a real PostGIS test database holding the demo city, loaded once."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command

# real receivers (webhooks, SMTP, MQTT) for every test that checks what leaves the platform
from receivers import mqtt_url, receiver, smtp_server, subscriber  # noqa: F401, E402  (fixtures)

from spatial.config import DatabaseConfig

DATA = Path(__file__).parent / "data"
SERVER_APP_NAME = "ioc-test-server"
SERVER_START_SECONDS = 90  # a loaded 2-core machine has taken 20 s to start `ioc serve`


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Create the test database by migrations, then load the demo city through the importers."""
    from django.db import connections

    with django_db_blocker.unblock():
        call_command("load_demo", dir=tmp_path_factory.mktemp("demo"), verbosity=0)
        call_command("setup_roles", demo=True, verbosity=0)
    yield
    from tiles.database import close_tile_sessions

    close_tile_sessions()  # tile sessions would keep the test database in use
    for connection in connections.all():
        connection.close()  # hand its connection back first: close_pool closes only idle ones
        if hasattr(connection, "close_pool"):
            connection.close_pool()


@pytest.fixture
def as_user() -> Callable[[str], dict]:
    """Django test-client headers that sign a demo account in by HTTP Basic (as QGIS or GDAL would):
    client.get(url, **as_user("gis"))."""
    from spatial.demo_accounts import DEMO_PASSWORD

    def headers(username: str) -> dict:
        token = base64.b64encode(f"{username}:{DEMO_PASSWORD}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {token}"}

    return headers


@pytest.fixture
def data_dir() -> Path:
    """Small checked-in files used by the tests (tests/data)."""
    return DATA


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def platform_server(folder: Path, database_url: str | None = None, **settings_env: str) -> Iterator[str]:
    """`ioc serve` on a free port serving the test database (demo loaded), or `database_url`, with
    extra IOC_* settings; yields its http://127.0.0.1:PORT and stops it (and waits for its database
    sessions) on exit."""
    url = database_url or DatabaseConfig.of_django().as_url()
    port = _free_port()
    # this server's own name in pg_stat_activity: the wait below is for its sessions only, not for those of
    # the session's other server (server_url) or of another test run on the same PostgreSQL
    app_name = f"{SERVER_APP_NAME}-{os.getpid()}-{port}"
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": url,
        "IOC_TILE_CACHE_DIR": str(folder / "tiles"),
        "IOC_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PGAPPNAME": app_name,
        **settings_env,
    }
    log = folder / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ioc.cli", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer /healthz within {SERVER_START_SECONDS} s: "
                                       f"{log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        _wait_for_sessions_to_end(DatabaseConfig.from_url(url), app_name)


@pytest.fixture(scope="session")
def server_url(django_db_setup, tmp_path_factory) -> Iterator[str]:
    """http://127.0.0.1:PORT of `ioc serve` serving the platform on the test database (demo loaded).
    Every browser files its citizen reports from 127.0.0.1: the hourly limit per address is lifted."""
    with platform_server(tmp_path_factory.mktemp("server"), IOC_FEEDBACK_PER_HOUR="1000") as base:
        yield base


@pytest.fixture
def start_server(django_db_setup, tmp_path) -> Iterator[Callable[..., str]]:
    """Start another `ioc serve` with extra settings, e.g. start_server(IOC_LIVE_MAX_CLIENTS="1"), or
    on another database (start_server(database_url=...)); it is stopped after the test."""
    yield from _servers(lambda: tmp_path)


@pytest.fixture(scope="module")
def start_module_server(django_db_setup, tmp_path_factory) -> Iterator[Callable[..., str]]:
    """As start_server, for the tests of one module that can share a server: stopped after the module."""
    yield from _servers(lambda: tmp_path_factory.mktemp("server"))


def _servers(folder: Callable[[], Path]) -> Iterator[Callable[..., str]]:
    """A function starting `ioc serve` with extra settings (in `folder()`), each stopped at the end."""
    with ExitStack() as servers:
        yield lambda **settings_env: servers.enter_context(platform_server(folder(), **settings_env))


def _wait_for_sessions_to_end(db: DatabaseConfig, app_name: str, seconds: float = 10.0) -> None:
    """Wait until the sessions of the server named `app_name` are gone (PostgreSQL notices closed sockets
    late), at most `seconds`."""
    import psycopg

    admin = DatabaseConfig(name="postgres", user=db.user, password=db.password, host=db.host, port=db.port)
    deadline = time.monotonic() + seconds
    with psycopg.connect(admin.as_url(), autocommit=True) as conn:
        while time.monotonic() < deadline:
            query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
            if conn.execute(query, [app_name]).fetchone()[0] == 0:
                return
            time.sleep(0.05)
