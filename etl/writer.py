"""Write prepared rows into a layer table with COPY: append, upsert (via staging) or replace."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pandas as pd
from django.db import connection
from django.db.models import Model, ProtectedError
from psycopg import errors as pg_errors
from psycopg import sql

from etl.errors import ImportConflict
from etl.report import Problem

CHUNK = 20_000
NULL = r"\N"
_COPY_LINE = re.compile(r"line (\d+)")


class WriteRejected(Exception):
    """The database refused a row (a constraint); carries the problem with its file row."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _as_copy_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Values pandas writes as PostgreSQL reads them: arrays as {…}, booleans as t/f."""
    frame = frame.copy()
    for column in frame.columns:
        sample = frame[column].dropna()
        first = sample.iloc[0] if len(sample) else None
        if isinstance(first, list | tuple):
            frame[column] = frame[column].map(
                lambda v: None if v is None else "{" + ",".join(str(int(x)) for x in v) + "}")
        elif isinstance(first, bool):
            frame[column] = frame[column].map({True: "t", False: "f"})
    return frame


def copy_rows(table: str, frame: pd.DataFrame, row_numbers: list[int],
              progress: Callable[[int], None] | None = None) -> int:
    """COPY the frame (columns = table columns) into `table`; map a refused line to its file row."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, NULL {})").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns),
        sql.Literal(NULL))
    values = _as_copy_values(frame)
    with connection.cursor() as wrapper:
        try:
            with wrapper.cursor.copy(statement) as copy:
                for start in range(0, len(values), CHUNK):
                    buffer = io.StringIO()
                    values.iloc[start:start + CHUNK].to_csv(buffer, header=False, index=False, na_rep=NULL)
                    copy.write(buffer.getvalue())
                    if progress:
                        progress(min(start + CHUNK, len(values)))
        except (pg_errors.IntegrityError, pg_errors.DataError) as exc:
            diag = exc.diag
            match = _COPY_LINE.search(diag.context or "")
            line = int(match.group(1)) if match else 0
            row = row_numbers[line - 1] if 0 < line <= len(row_numbers) else 0
            raise WriteRejected(Problem(row, f"refused by the database: {diag.message_primary}")) from exc
    return len(values)


def upsert_rows(table: str, frame: pd.DataFrame, key: list[str], row_numbers: list[int],
                progress: Callable[[int], None] | None = None) -> int:
    """Insert, or update the rows whose natural key exists (through a temporary staging table)."""
    stage = f"_ioc_stage_{table}"
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
    updates = [c for c in frame.columns if c not in key and c != "created_at"]
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA")
                       .format(sql.Identifier(stage), columns, sql.Identifier(table))
                       .as_string(cursor.connection))
    count = copy_rows(stage, frame, row_numbers, progress)
    statement = sql.SQL(
        "INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT ({key}) DO UPDATE SET {set}"
    ).format(
        table=sql.Identifier(table), stage=sql.Identifier(stage), cols=columns,
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
