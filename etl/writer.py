"""Write prepared rows into a layer table with COPY: append, upsert (via staging) or replace."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Model, ProtectedError
from psycopg import errors as pg_errors
from psycopg import sql

from etl.errors import ImportConflict
from etl.report import Problem

logger = logging.getLogger(__name__)
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
        elif isinstance(first, datetime) and first.tzinfo is not None:
            frame[column] = _utc_text(frame[column])
    return frame


def _utc_text(values: pd.Series) -> np.ndarray:
    """Aware times as ISO 8601 text in UTC ("2026-11-01T03:00:00.25+00"), all at once (pandas
    formats each Timestamp by itself)."""
    moments = pd.to_datetime(values, utc=True).dt.tz_localize(None).to_numpy()
    seconds = moments.astype("datetime64[s]")
    micros = (moments - seconds).astype("timedelta64[us]").astype(np.int64)
    text = np.datetime_as_string(seconds, unit="s").astype(object)
    fraction = np.flatnonzero(micros)
    text[fraction] = [f"{t}.{m:06d}" for t, m in zip(text[fraction], micros[fraction], strict=True)]
    text = text + "+00"
    text[np.isnat(moments)] = None
    return text


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
            raise WriteRejected(_plain(exc, row)) from exc
    return len(values)


# What the database's refusals mean, by SQLSTATE, for people who never read its messages.
_REFUSALS = {
    "23505": "already in the database: another row has the same key",
    "23503": "unknown reference: it names a row that does not exist",
    "23502": "missing value: a required value is empty",
    "23514": "bad value: it breaks a rule of the layer",
    "22003": "bad value: a number is out of range",
    "22001": "bad value: a text is too long",
}


def _plain(exc: pg_errors.Error, row: int) -> Problem:
    """A database refusal as a problem in plain words, naming the rule or column (its raw text is logged)."""
    diag = exc.diag
    logger.info("database refused row %s: %s", row, diag.message_primary)
    said = _REFUSALS.get(diag.sqlstate or "", "refused by the database")
    named = diag.constraint_name or diag.column_name
    return Problem(row, f"{said}{f' ({named})' if named else ''}", diag.column_name or "")


def upsert_rows(table: str, frame: pd.DataFrame, key: list[str], row_numbers: list[int],
                progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Insert, or update the rows whose natural key exists and whose values differ (through a
    temporary staging table); rows equal to the stored ones are left alone (no new version, no
    history). Returns the inserted, updated and unchanged counts."""
    stage = f"_ioc_stage_{table}"
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
    updates = [c for c in frame.columns if c not in key and c != "created_at"]
    names = {"table": sql.Identifier(table), "stage": sql.Identifier(stage), "cols": columns,
             "key": sql.SQL(", ").join(sql.Identifier(c) for c in key),
             "on_key": sql.SQL(" AND ").join(sql.SQL("t.{0} = s.{0}").format(sql.Identifier(c)) for c in key)}
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA")
                       .format(sql.Identifier(stage), columns, sql.Identifier(table))
                       .as_string(cursor.connection))
    count = copy_rows(stage, frame, row_numbers, progress)
    new = sql.SQL("SELECT count(*) FROM {stage} s WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on_key})")
    statement = sql.SQL(
        "INSERT INTO {table} AS t ({cols}) SELECT {cols} FROM {stage} "
        "ON CONFLICT ({key}) DO UPDATE SET {set} WHERE ({old}) IS DISTINCT FROM ({new})"
    ).format(
        **names,
        set=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in updates),
        old=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in updates),
        new=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(c)) for c in updates),
    )
    with connection.cursor() as cursor:
        cursor.execute(new.format(**names).as_string(cursor.connection))
        inserted = cursor.fetchone()[0]
        try:
            cursor.execute(statement.as_string(cursor.connection))
        except (pg_errors.IntegrityError, pg_errors.DataError) as exc:
            raise WriteRejected(_plain(exc, 0)) from exc
        written = cursor.rowcount
        cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(stage)).as_string(cursor.connection))
    return {"inserted": inserted, "updated": written - inserted, "unchanged": count - written}


def delete_existing(model: type[Model], filters: dict[str, object]) -> tuple[int, dict[str, int]]:
    """Remove the rows a `replace` import replaces (with Django's cascades); returns how many rows
    of the layer, and of each model by label, were deleted."""
    try:
        _, per_model = model._default_manager.filter(**filters).delete()
    except ProtectedError as exc:
        raise ImportConflict(
            f"cannot replace {model._meta.verbose_name}: {len(exc.protected_objects)} other rows refer "
            "to them; use --mode upsert instead"
        ) from exc
    return per_model.get(model._meta.label, 0), per_model
