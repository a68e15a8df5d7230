"""A real HTTP server over the test database, for real clients (GDAL, OWSLib, schemathesis)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings

from spatial.config import DatabaseConfig


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_url(django_db_setup, tmp_path_factory) -> Iterator[str]:
    """http://127.0.0.1:PORT of uvicorn serving the platform on the test database (demo loaded)."""
    db = settings.DATABASES["default"]
    url = DatabaseConfig(name=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=int(db["PORT"])).as_url()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "IOC_TILE_CACHE_DIR": str(tmp_path_factory.mktemp("tiles")),
           "IOC_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "spatial.cli", "serve", "--port", str(port)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def operator_token(django_db_setup, django_db_blocker) -> str:
    """A token of the demo operator (vanhanh), committed so the server sees it."""
    from django.contrib.auth.models import User

    from spatial.auth import issue_token

    with django_db_blocker.unblock():
        return issue_token(User.objects.get(username="vanhanh"), "tests")
