"""Monthly partitions of the detections table: create ahead of writes, attach a month filled in bulk,
drop for retention."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from psycopg import sql

from layers.db_hooks import announce_function

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


def months(first: datetime, last: datetime) -> list[datetime]:
    """The starts (local time) of the months covering [first, last]."""
    starts, start = [], _month_start(first)
    while start <= last:
        starts.append(start)
        start = _next_month(start)
    return starts


def ensure_partitions(first: datetime, last: datetime) -> list[str]:
    """Create the monthly partitions (local time) covering [first, last]; return the new ones."""
    created = []
    with connection.cursor() as cursor:
        for start in months(first, last):
            end = _next_month(start)
            name = partition_name(start)
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})"
                ).format(sql.Identifier(name), sql.Identifier(PARENT), sql.Literal(start),
                         sql.Literal(end)).as_string(cursor.connection)
            )
            created.append(name)
    return created


def month_after(moment: datetime) -> datetime:
    """The start (local time) of the month after the one holding `moment`."""
    return _next_month(_month_start(moment))


def held() -> set[str]:
    """The names of the detections' partitions, e.g. {"layers_detection_y2026m11", …}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass", [PARENT])
        return {row[0] for row in cursor.fetchall()}


def missing(starts: list[datetime]) -> list[datetime]:
    """The months among `starts` that have no partition yet."""
    present = held()
    return [start for start in starts if partition_name(start) not in present]


def unique_keys() -> list[list[str]]:
    """The columns of each unique index of the detections (e.g. camera_id, observed_at, track_id)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index x "
                       "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) "
                       "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
                       "WHERE x.indrelid = %s::regclass AND x.indisunique GROUP BY x.indexrelid", [PARENT])
        return [list(row[0]) for row in cursor.fetchall()]


def hold_partitioning() -> None:
    """Until the transaction ends, no other session creates or attaches a partition of the detections
    (readers and writers of the existing months go on): what `missing` answered stays true."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("LOCK TABLE {} IN SHARE UPDATE EXCLUSIVE MODE").format(sql.Identifier(PARENT))
                       .as_string(cursor.connection))


def bare_month(start: datetime) -> str:
    """A table shaped like the detections (columns, defaults, checks; no index), named as the month's
    partition, whose ids come from the detections' own sequence: fill it, then attach_month."""
    name = sql.Identifier(partition_name(start))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [PARENT])
        sequence = cursor.fetchone()[0]
        cursor.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS); "
                               "ALTER TABLE {} ALTER COLUMN id SET DEFAULT nextval({}::regclass)").format(
            name, sql.Identifier(PARENT), name, sql.Literal(sequence)).as_string(cursor.connection))
    return partition_name(start)


def attach_month(start: datetime) -> None:
    """Attach the filled bare_month as the month's partition: PostgreSQL builds each of its indexes in
    one pass over the rows (instead of one insert per row and index) and takes only a SHARE UPDATE
    EXCLUSIVE lock on the detections (readers and writers of existing months go on)."""
    name = sql.Identifier(partition_name(start))
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN id DROP DEFAULT; "
                               "ALTER TABLE {} ATTACH PARTITION {} FOR VALUES FROM ({}) TO ({})").format(
            name, sql.Identifier(PARENT), name, sql.Literal(start), sql.Literal(_next_month(start)))
            .as_string(cursor.connection))


def announce_months(starts: list[datetime]) -> None:
    """Announce the rows of the attached months as one insert statement's triggers would (one tile
    notice, one live-feed event with the newest rows of all of them)."""
    new_rows = sql.Identifier("ioc_new")
    attached = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT * FROM {}").format(sql.Identifier(partition_name(start))) for start in starts)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP VIEW {} AS {}; SELECT {}(); DROP VIEW {}").format(
            new_rows, attached, announce_function(PARENT), new_rows).as_string(cursor.connection))


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
