"""SQL helpers shared by the services: times as ISO 8601 in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from psycopg import sql

LOCAL_ISO = 'YYYY-MM-DD"T"HH24:MI:SS.US'


def local_iso(column: sql.Composable) -> sql.Composable:
    """A timestamptz column rendered as local ISO 8601 text, e.g. 2025-07-01T08:30:00+07:00, with its
    fraction of a second when it has one (2025-07-01T08:30:00.25+07:00)."""
    local = sql.SQL("to_char({} AT TIME ZONE 'Asia/Ho_Chi_Minh', {})").format(column, sql.Literal(LOCAL_ISO))
    return sql.SQL("rtrim(rtrim({}, '0'), '.') || '+07:00'").format(local)
