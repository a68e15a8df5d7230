"""Write prepared rows into a layer table with COPY: append, upsert (via staging) or replace."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

import pandas as pd
from django.db import connection
from django.db.models import Model, ProtectedError
from psycopg import errors as pg_errors
from psycopg import sql

from etl.errors import ImportConflict
from etl.report import Problem

CHUNK = 10_000
_COPY_LINE = re.compile(r"line (\d+)")


class WriteRejected(Exception):
    """The database refused a row (a constraint); carries the problem with its file row."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "{" + ",".join(str(int(v)) for v in value) + "}"
    return str(value)


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple], row_numbers: list[int],
              progress: Callable[[int], None] | None = None) -> int:
    """COPY rows (already in column order) into `table`; map a refused line to its file row."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    written = 0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        try:
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([_text(v) for v in row])
                    written += 1
                    if progress and written % CHUNK == 0:
                        progress(written)
        except (pg_errors.IntegrityError, pg_errors.DataError) as exc:
            diag = exc.diag
            match = _COPY_LINE.search(diag.context or "")
            line = int(match.group(1)) if match else 0
            row = row_numbers[line - 1] if 0 < line <= len(row_numbers) else 0
            raise WriteRejected(Problem(row, f"refused by the database: {diag.message_primary}")) from exc
    return written


def upsert_rows(table: str, columns: list[str], key: list[str], rows: Iterable[tuple],
                row_numbers: list[int], progress: Callable[[int], None] | None = None) -> int:
    """Insert, or update the rows whose natural key exists (through a temporary staging table)."""
    stage = f"_ioc_stage_{table}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA")
                       .format(sql.Identifier(stage),
                               sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                               sql.Identifier(table)).as_string(cursor.connection))
    count = copy_rows(stage, columns, rows, row_numbers, progress)
    updates = [c for c in columns if c not in key and c != "created_at"]
    statement = sql.SQL(
        "INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT ({key}) DO UPDATE SET {set}"
    ).format(
        table=sql.Identifier(table), stage=sql.Identifier(stage),
        cols=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        key=sql.SQL(", ").join(sql.Identifier(c) for c in key),
        set=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in updates),
    )
    with connection.cursor() as cursor:
        try:
            cursor.execute(statement.as_string(cursor.connection))
        except pg_errors.IntegrityError as exc:
            raise WriteRejected(Problem(0, f"refused by the database: {exc.diag.message_primary}")) from exc
        cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(stage)).as_string(cursor.connection))
    return count


def delete_existing(model: type[Model], filters: dict[str, object]) -> int:
    """Remove the rows a `replace` import replaces (with Django's cascades)."""
    try:
        deleted, _ = model._default_manager.filter(**filters).delete()
    except ProtectedError as exc:
        raise ImportConflict(
            f"cannot replace {model._meta.verbose_name}: {len(exc.protected_objects)} other rows refer "
            "to them; use --mode upsert instead"
        ) from exc
    return deleted
