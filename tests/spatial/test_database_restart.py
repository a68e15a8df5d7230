"""A database restart or outage under load: never a 500; 503 with Retry-After and a clear message
while the database is really down; 200 again within seconds once it is back.

The platform is served on a throwaway PostgreSQL cluster of the test's own (initdb in a temporary
folder, a free port) holding the test database's schema and a sample of its rows, so that restarting
and stopping it disturbs no one else.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, utils
from psycopg import sql
from psycopg_pool import PoolTimeout

from democity.frame import CENTRE_LONLAT
from layers.models import AdminUnit, Parcel
from spatial.config import DatabaseConfig
from spatial.database_health import database_unreachable, worth_retrying
from tiles.grid import tiles_covering

logger = logging.getLogger(__name__)


PG_BIN = Path("/usr/lib/postgresql/15/bin")  # as scripts/lib.sh
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses root
# the rows copied to the throwaway cluster: what anonymous reads of parcels and statistics need
SAMPLE = {ContentType: 1000, Permission: 1000, Group: 100, Group.permissions.through: 10_000,
          AdminUnit: 1000, Parcel: 200}

TILE_ZOOM = 22  # a new tile on each request (a cached one would need no database)
CLIENTS_PER_PATH = 2
WARM_SECONDS = 2.0
AFTER_RESTART_SECONDS = 3.0
DOWN_SECONDS = 8.0  # longer than a request waits for a connection, so that some answer while down
RECOVERY_SECONDS = 5.0  # every path answers 200 again within this long after the database is back
BACK_SECONDS = RECOVERY_SECONDS + 3.0  # load once it is back


@dataclass
class Cluster:
    """A PostgreSQL cluster in `data`, listening on 127.0.0.1:`port`."""

    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/toancanh"

    def pg_ctl(self, *arguments: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off"
        subprocess.run([*AS_POSTGRES, PG_BIN / "pg_ctl", "-D", self.data, "-l", self.data / "server.log",
                        "-w", "-o", options, *arguments], check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_sample(source: str, target: str) -> None:
    """The test database's schema into `target`, and the first rows of the SAMPLE tables."""
    schema = subprocess.run([PG_BIN / "pg_dump", "--schema-only", "--no-owner", "--no-privileges", source],
                            check=True, capture_output=True).stdout
    subprocess.run([PG_BIN / "psql", "-q", "-v", "ON_ERROR_STOP=1", target], input=schema,
                   check=True, capture_output=True)
    with psycopg.connect(source) as reading, psycopg.connect(target) as writing:
        writing.execute("SET session_replication_role = replica")  # a sample: no triggers, no foreign keys
        for model, limit in SAMPLE.items():
            table = sql.Identifier(model._meta.db_table)
            select = sql.SQL("COPY (SELECT * FROM {} ORDER BY 1 LIMIT {}) TO STDOUT (FORMAT BINARY)")
            insert = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)")
            with (reading.cursor().copy(select.format(table, sql.Literal(limit))) as rows,
                  writing.cursor().copy(insert.format(table)) as copy):
                for block in rows:
                    copy.write(block)


@pytest.fixture
def throwaway_cluster(django_db_setup) -> Iterator[Cluster]:
    """A cluster of this test's own on a free port, holding the test database's schema and a sample."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15's server programs are not installed in {PG_BIN}")
    folder = Path(tempfile.mkdtemp(prefix="ioc-cluster-"))  # not under pytest's root-only tmp_path
    if AS_POSTGRES:
        shutil.chown(folder, "postgres")
    cluster = Cluster(folder / "data", _free_port())
    try:
        subprocess.run([*AS_POSTGRES, PG_BIN / "initdb", "--no-instructions", "--no-sync", "-D", cluster.data,
                        "-U", "postgres", "--auth=trust"], check=True, capture_output=True)
        cluster.pg_ctl("start")
        admin = DatabaseConfig.from_url(cluster.url)
        with psycopg.connect(admin.as_url().replace("/toancanh", "/postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE toancanh")
        _copy_sample(DatabaseConfig.of_django().as_url(), cluster.url)
        yield cluster
    finally:
        subprocess.run([*AS_POSTGRES, PG_BIN / "pg_ctl", "-D", cluster.data, "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Answer:
    path: str
    sent: float  # time.monotonic() when the request was sent
    at: float  # and when its answer arrived
    status: int
    retry_after: str | None
    body: bytes


class Load:
    """CLIENTS_PER_PATH threads per path, each asking for its path again and again until stopped."""

    def __init__(self, base: str, paths: dict[str, Callable[[int], str]]) -> None:
        self.base = base
        self.paths = paths
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask, args=(name, i), daemon=True)
                         for name in paths for i in range(CLIENTS_PER_PATH)]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _ask(self, name: str, client: int) -> None:
        n = client
        while not self._stop.is_set():
            n += CLIENTS_PER_PATH
            request = urllib.request.Request(self.base + self.paths[name](n), headers=HEADERS.get(name, {}))
            sent = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, retry_after, body = response.status, None, response.read()
            except urllib.error.HTTPError as error:
                status, retry_after, body = error.code, error.headers.get("Retry-After"), error.read()
            except OSError as error:  # no HTTP answer at all: counted as status 0
                status, retry_after, body = 0, None, str(error).encode()
            self.answers.append(Answer(name, sent, time.monotonic(), status, retry_after, body))

    def between(self, start: float, end: float = float("inf")) -> list[Answer]:
        return [answer for answer in self.answers if start <= answer.at < end]


def _paths() -> dict[str, Callable[[int], str]]:
    """What the load asks for: the n-th request of each kind."""
    tile = next(tiles_covering((*CENTRE_LONLAT, *CENTRE_LONLAT), TILE_ZOOM))
    return {
        "stats": lambda n: "/api/stats",
        "items": lambda n: "/ogc/collections/parcels/items?limit=10",
        "tile": lambda n: f"/tiles/parcels/{TILE_ZOOM}/{tile.x + n % 1024}/{tile.y + n // 1024}.pbf",
        "healthz": lambda n: "/healthz",
        "token": lambda n: "/api/stats",  # its token is looked up by a middleware, before any view
    }


HEADERS = {"token": {"Authorization": "Bearer tc_00000000_unknown"}}
WHILE_UP = {"token": 401}  # the status of each kind while the database answers (else 200)


def _as_while_up(answer: Answer) -> bool:
    return answer.status == WHILE_UP.get(answer.path, 200)


def _counts(answers: list[Answer]) -> str:
    """The statuses of `answers` per path, e.g. "stats 200×12 503×3"."""
    counts = Counter((a.path, a.status) for a in answers)
    paths = dict.fromkeys(a.path for a in answers)
    return ", ".join(
        f"{path} " + " ".join(f"{status}×{n}" for (p, status), n in sorted(counts.items()) if p == path)
        for path in paths)


def _as_django_raises(error: psycopg.Error) -> utils.Error:
    """`error` as Django raises it from a query: its own class of the same kind, from psycopg's."""
    try:
        with connection.wrap_database_errors:
            raise error
    except utils.Error as wrapped:
        return wrapped


@pytest.mark.parametrize(("error", "unreachable", "retried"), [
    (psycopg.OperationalError("consuming input failed: server closed the connection"), True, True),
    (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True, True),
    (psycopg.errors.CannotConnectNow("the database system is starting up"), True, True),
    (psycopg.errors.ConnectionFailure("connection failure"), True, True),
    (psycopg.InterfaceError("the connection is closed"), True, True),
    (PoolTimeout("couldn't get a connection after 5.00 sec"), True, False),  # the pool already waited
    (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False, False),
    (psycopg.errors.DeadlockDetected("deadlock detected"), False, False),
    (psycopg.errors.UniqueViolation("duplicate key value"), False, False),
], ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value))
def test_only_a_lost_or_refused_connection_means_the_database_is_unreachable(error, unreachable, retried):
    for raised in (error, _as_django_raises(error)):
        assert (database_unreachable(raised), worth_retrying(raised)) == (unreachable, retried)


@pytest.mark.slow
@pytest.mark.django_db  # the test database is set up: the throwaway cluster copies it
def test_a_restart_and_an_outage_under_load_answer_503_with_retry_after_never_500(
        throwaway_cluster, start_server):
    cluster = throwaway_cluster
    base = start_server(database_url=cluster.url)
    paths = _paths()
    with Load(base, paths) as load:
        time.sleep(WARM_SECONDS)
        restart = time.monotonic()
        cluster.pg_ctl("-m", "fast", "restart")
        restarted = time.monotonic()
        time.sleep(AFTER_RESTART_SECONDS)
        cluster.pg_ctl("-m", "fast", "stop")
        down = time.monotonic()
        try:
            time.sleep(DOWN_SECONDS)
        finally:
            starting = time.monotonic()
            cluster.pg_ctl("start")
        up = time.monotonic()
        time.sleep(BACK_SECONDS)
        end = time.monotonic()

    phases = {"warm": load.between(0, restart), "restart": load.between(restart, down),
              "down": load.between(down, starting), "starting": load.between(starting, up),
              "back": load.between(up)}
    recovery = {name: min((a.at - up for a in phases["back"] if a.path == name and _as_while_up(a)),
                          default=float("inf")) for name in paths}
    report = "; ".join([
        f"restart took {restarted - restart:.1f} s, start {up - starting:.1f} s, load {end - restart:.0f} s",
        *(f"{phase}: {_counts(answers)}" for phase, answers in phases.items()),
        "200 again after " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in recovery.items()),
        *sorted({f"{a.status}: {a.body[:300]!r}" for a in load.answers if a.status in (0, 500)})[:5],
    ])
    logger.info("%s", report)

    assert phases["warm"] and all(_as_while_up(a) for a in phases["warm"]), report
    assert [a for a in load.answers if not _as_while_up(a) and a.status != 503] == [], report  # 0 × 500
    while_down = load.between(down + 1.0, starting)
    assert {a.path for a in while_down if a.status == 503} == set(paths), report
    assert [a for a in while_down if a.status != 503] == [], report
    unavailable = [a for a in load.answers if a.status == 503]
    assert all(a.retry_after and int(a.retry_after) >= 1 for a in unavailable), report
    descriptions = {json.loads(a.body)["description"] for a in unavailable}
    assert len(descriptions) == 1, descriptions  # one clear message, no driver or server text
    (description,) = descriptions
    assert "Cơ sở dữ liệu" in description and "database" in description
    assert str(cluster.port) not in description
    assert max(recovery.values()) <= RECOVERY_SECONDS, report
    sent_once_back = [a for a in load.answers if a.sent >= up + RECOVERY_SECONDS]
    assert {a.path for a in sent_once_back} == set(paths), report
    assert all(_as_while_up(a) for a in sent_once_back), report
