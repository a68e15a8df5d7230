"""A database that restarts or goes away: its errors recognised, answered 503 with Retry-After, and a
read retried once on a fresh connection.

Three layers keep a restart from reaching people as 500s:
- each worker's connection pool checks a connection before handing it out (settings.DATABASES:
  CONN_HEALTH_CHECKS), so connections the server closed while they sat idle are replaced unseen;
- a GET or HEAD whose connection is lost while it runs (the server restarts mid-query) is run once
  more on a fresh connection (ReadRetryMiddleware);
- while the database is really down, the pool waits a few seconds for a connection and the request
  answers 503 with Retry-After and one plain message (spatial.error_responses), never the driver's
  or the server's text.
"""

from __future__ import annotations

import logging

import psycopg
from django.db import DatabaseError, InterfaceError, close_old_connections
from django.http import HttpRequest, HttpResponse
from psycopg_pool import PoolTimeout

from spatial.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 3  # a fast restart takes about a second; a client asking sooner finds it still down
IDEMPOTENT_READS = frozenset({"GET", "HEAD"})
# SQLSTATEs of a server that closed the session or does not take one now: class 08 (connection
# exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300
# too_many_connections
_CONNECTION_CLASS = "08"
_NO_SESSION = frozenset({"57P01", "57P02", "57P03", "53300"})
_LOST = "_database_connection_lost"  # set on the request by ReadRetryMiddleware.process_exception


class DatabaseUnavailable(ServiceUnavailable):
    """The database does not answer (restarting, stopped, unreachable): ask again in a moment."""

    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}  # noqa: RUF012  (read-only class default)
    extra = {"database": "unavailable"}  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__(
            "Cơ sở dữ liệu tạm thời không trả lời (đang khởi động lại hoặc bảo trì), vui lòng thử lại "
            f"sau {RETRY_AFTER_SECONDS} giây / the database is not answering for the moment (restarting "
            f"or under maintenance): ask again in {RETRY_AFTER_SECONDS} seconds"
        )


def _driver_error(exc: BaseException) -> BaseException:
    """psycopg's own error behind one of Django's wrappers (Django raises its class from psycopg's)."""
    if isinstance(exc, DatabaseError) and isinstance(exc.__cause__, psycopg.Error):
        return exc.__cause__
    return exc


def database_unreachable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached or dropped the session, rather than refusing
    a statement (a bad value, a timeout, a deadlock: those keep their own answers)."""
    error = _driver_error(exc)
    if isinstance(error, (psycopg.InterfaceError, InterfaceError)):
        return True  # the connection is closed or unusable
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = error.sqlstate
    # no SQLSTATE: the client itself failed (connection refused or lost, no pooled connection in time)
    return state is None or state.startswith(_CONNECTION_CLASS) or state in _NO_SESSION


def statement_timed_out(exc: BaseException) -> bool:
    """Whether `exc` is a statement stopped by statement_timeout (SQLSTATE 57014, query_canceled)."""
    error = _driver_error(exc)
    return isinstance(error, psycopg.OperationalError) and error.sqlstate == "57014"


class StatementTimeout(ServiceUnavailable):
    """A query ran past IOC_STATEMENT_TIMEOUT_MS: stopped so that it holds no worker."""

    headers = {"Retry-After": "10"}  # noqa: RUF012  (read-only class default)

    def __init__(self, milliseconds: int, advice: str = "") -> None:
        seconds = f"{milliseconds / 1000:g}"
        advice = advice or ("narrow it (bbox, filter, datetime, a smaller limit or fewer properties) "
                            "or try again later")
        super().__init__(
            f"Truy vấn chạy quá {seconds} giây, giới hạn cho một yêu cầu / the query ran longer than "
            f"{seconds} s, the limit for one request: {advice}")


def worth_retrying(exc: BaseException) -> bool:
    """Whether a fresh connection could succeed where `exc` failed: the connection was lost, and the
    pool did not already wait its whole timeout for one."""
    return database_unreachable(exc) and not isinstance(_driver_error(exc), PoolTimeout)


class ReadRetryMiddleware:
    """Runs a GET or HEAD once more, on a fresh connection, when the view lost its database connection.

    Listed after ErrorMiddleware, at the end of MIDDLEWARE: its `process_exception` is then called
    before ErrorMiddleware's (it only notes the exception, which still becomes a 503), and its
    `__call__` wraps little more than Django's view stage, so a retry resolves the URL and runs the
    view middleware and the view again, and nothing outside them (sessions, authentication) twice.
    A retry here, rather than in each view, covers every read; writes are never repeated: a write
    that lost its connection may have committed, so its client gets the 503 and decides.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _LOST, False) and request.method in IDEMPOTENT_READS:
            logger.warning("%s %s lost its database connection: once more", request.method, request.path)
            delattr(request, _LOST)
            close_old_connections()  # hands the broken connection back: the pool replaces it
            response = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> None:
        if worth_retrying(exc):
            setattr(request, _LOST, True)
