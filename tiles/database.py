"""Where tile queries run: sessions of their own, each tile statement prepared once per session
and run on libpq directly.

Django gives each request a pooled connection and sets it up again (time zone, PostGIS types),
a sizeable share of a typical tile's SQL time. A tile query needs none of it: its text
is fixed per layer list and fields (tiles.mvt), its values are bound. So each worker keeps a few
sessions for its life, the most recently used first (its backend's caches are warm), and prepares
each query shape once per session, as Martin does. The statement runs on psycopg's libpq layer,
without a cursor or a pool around it: for one bytea cell, their bookkeeping was a measurable
share of a small tile's time. Values go as text of unknown type, so PostgreSQL types each from
where it stands, as it types a literal.

These sessions also never plan parallel workers: launching one costs more than a tile's whole
query, most of all for the slowest tiles. Inside a transaction (a caller's atomic block, a test)
the tile is read through Django's own connection instead, so that it shows what the transaction
wrote. (The figures behind these choices: docs/benchmarks.md.)
"""

from __future__ import annotations

import itertools
import os
import queue
import re
import select
import threading
from datetime import date, datetime
from functools import lru_cache

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import pq
from psycopg.errors import error_from_result

from spatial.config import DatabaseConfig
from spatial.database_health import DatabaseUnavailable
from spatial.errors import ServiceUnavailable

# libpq options of every tile session (bench/tiles runs its reference SQL with them too)
TILE_SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0"
MAX_STATEMENTS = 256  # prepared per session; past it the session deallocates them all and starts again
SESSION_WAIT = 30.0  # seconds a tile waits for one of its worker's sessions before a 503

_PLACEHOLDER = re.compile(r"%([%s])")


@lru_cache(maxsize=1024)
def _numbered(query: str) -> bytes:
    """`query` with psycopg's placeholders (%s, and %% for a percent sign) as PostgreSQL's $1, $2…"""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m.group(1) == "%" else f"${next(numbers)}", query).encode()


def _as_text(value: object) -> bytes | None:
    """A bound value in PostgreSQL's text input form (None: NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, (datetime, date)):
        return value.isoformat().encode()
    return str(value).encode()


class TileSession:
    """One PostgreSQL session for tile queries, each query shape prepared on its first use."""

    def __init__(self, url: str) -> None:
        self.connection = psycopg.connect(url, autocommit=True, options=TILE_SESSION_OPTIONS)
        self._pgconn = self.connection.pgconn
        self._statements: dict[str, bytes] = {}
        self._readable = select.poll()
        self._readable.register(self._pgconn.socket, select.POLLIN)

    def fetch(self, query: str, params: list[object]) -> bytes:
        """The one bytea cell `query` (psycopg placeholders) returns for `params`."""
        name = self._statements.get(query) or self._prepare(query)
        self._pgconn.send_query_prepared(name, [_as_text(value) for value in params],
                                         result_format=pq.Format.BINARY)
        return self._result().get_value(0, 0)

    def _prepare(self, query: str) -> bytes:
        if len(self._statements) >= MAX_STATEMENTS:
            self._pgconn.send_query(b"DEALLOCATE ALL")
            self._result()
            self._statements.clear()
        name = b"tile_%d" % len(self._statements)
        self._pgconn.send_prepare(name, _numbered(query))
        self._result()
        self._statements[query] = name
        return name

    def _result(self) -> pq.abc.PGresult:
        """The result of the query just sent, read without holding the GIL while waiting."""
        pgconn = self._pgconn
        while pgconn.flush():  # the rest of a long query (tile queries fit in one packet)
            select.select([], [pgconn.socket], [])
        results = []
        while True:
            pgconn.consume_input()
            if pgconn.is_busy():
                self._readable.poll()
                continue
            result = pgconn.get_result()
            if result is None:
                break
            results.append(result)
        for result in results:
            if result.status == pq.ExecStatus.FATAL_ERROR:
                raise error_from_result(result, encoding=self.connection.info.encoding)
        return results[-1]

    @property
    def broken(self) -> bool:
        """The connection is lost (the server restarted, a network cut): only a new session helps."""
        return self._pgconn.status != pq.ConnStatus.OK

    def close(self) -> None:
        self.connection.close()


class _Sessions:
    """This worker's tile sessions: at most `size` busy at once, the most recently used taken first."""

    def __init__(self, url: str, size: int) -> None:
        self._url = url
        self._idle: list[TileSession] = []  # list.pop and list.append are atomic: no lock needed
        self._slots: queue.SimpleQueue[None] = queue.SimpleQueue()  # one token per session allowed
        for _ in range(size):  # (a queue in C: threading's semaphore is Python, slower)
            self._slots.put(None)

    def fetch(self, query: str, params: list[object]) -> bytes:
        try:
            self._slots.get(timeout=SESSION_WAIT)
        except queue.Empty:
            raise ServiceUnavailable(f"every tile session of this worker was busy for {SESSION_WAIT:.0f} s "
                                     "(the database is slow or overloaded): ask again in a moment") from None
        try:
            return self._fetch(query, params)
        finally:
            self._slots.put(None)

    def _fetch(self, query: str, params: list[object]) -> bytes:
        try:
            session = self._idle.pop()
        except IndexError:
            return self._run(self._new_session(), query, params)
        try:
            return self._run(session, query, params)
        except psycopg.OperationalError:
            if not session.broken:
                raise
            self.close()  # the server restarted or dropped us: the idle sessions went with it
            return self._run(self._new_session(), query, params)

    def _new_session(self) -> TileSession:
        try:
            return TileSession(self._url)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable from exc  # its message, not libpq's text

    def _run(self, session: TileSession, query: str, params: list[object]) -> bytes:
        """`session.fetch`, then the session back to the idle ones, unless it broke or was interrupted."""
        try:
            content = session.fetch(query, params)
        except psycopg.DatabaseError:
            if session.broken:
                session.close()
            else:  # an error PostgreSQL reported (a bad value, a timeout): the session is fine
                self._idle.append(session)
            raise
        except BaseException:  # interrupted half-way: the session's state is unknown
            session.close()
            raise
        self._idle.append(session)
        return content

    def close(self) -> None:
        while self._idle:
            self._idle.pop().close()


_lock = threading.Lock()
_sessions: _Sessions | None = None
_sessions_pid = 0


def _tile_sessions() -> _Sessions:
    """This process's sessions (made on first use, so each forked worker has its own)."""
    global _sessions, _sessions_pid
    if _sessions is None or _sessions_pid != os.getpid():
        with _lock:
            if _sessions is None or _sessions_pid != os.getpid():
                _sessions = _Sessions(DatabaseConfig.of_django().as_url(), settings.CONFIG.tile_pool_size)
                _sessions_pid = os.getpid()
    return _sessions


def fetch_tile(query: str, params: list[object]) -> bytes:
    """The bytes of one tile query (tiles.mvt.tile_query)."""
    if connection.in_atomic_block:
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(query, params, binary=True)
            return cursor.fetchone()[0]
    return _tile_sessions().fetch(query, params)


def close_tile_sessions() -> None:
    """Close this process's idle tile sessions (tests that drop the database; worker shutdown)."""
    global _sessions
    with _lock:
        if _sessions is not None and _sessions_pid == os.getpid():
            _sessions.close()
        _sessions = None
