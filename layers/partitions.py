"""Monthly partitions of the detections table: create ahead of writes, drop for retention."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from psycopg import sql

logger = logging.getLogger(__name__)

PARENT = "layers_detection"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def _month_start(moment: datetime) -> datetime:
    local = moment.astimezone(LOCAL)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(start: datetime) -> datetime:
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month)


def partition_name(month_start: datetime) -> str:
    """The partition of the month starting at `month_start`, e.g. layers_detection_y2025m07."""
    return f"{PARENT}_y{month_start.year:04d}m{month_start.month:02d}"


def ensure_partitions(first: datetime, last: datetime) -> list[str]:
    """Create the monthly partitions (local time) covering [first, last]; return the new ones."""
    created = []
    start = _month_start(first)
    with connection.cursor() as cursor:
        while start <= last:
            end = _next_month(start)
            name = partition_name(start)
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})"
                ).format(sql.Identifier(name), sql.Identifier(PARENT), sql.Literal(start),
                         sql.Literal(end)).as_string(cursor.connection)
            )
            created.append(name)
            start = end
    return created


def drop_partitions_before(cutoff: datetime) -> list[str]:
    """Drop whole partitions whose months end on or before `cutoff` (retention, not row deletes)."""
    dropped = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [PARENT],
        )
        for name, _bound in cursor.fetchall():
            year, month = int(name[-7:-3]), int(name[-2:])
            month_end = _next_month(datetime(year, month, 1, tzinfo=LOCAL))
            if month_end <= cutoff:
                cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)).as_string(
                    cursor.connection))
                dropped.append(name)
    logger.info("dropped %d detection partitions before %s", len(dropped), cutoff)
    return dropped
