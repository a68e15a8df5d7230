"""An import's places staged by COPY in a temporary table, for the set-based ward queries.

Sending 100,000 places as query parameters (unnest of text arrays) costs seconds of adaptation and
parsing; COPY of the same hex WKB costs a tenth. The rule itself stays where it lives: the queries
run on this table ask the one commune rule (layers.communes: ioc_commune_at, ioc_commune_holding).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from psycopg import sql

from layers.communes import join_commune

TABLE = sql.Identifier("_ioc_places")
_NULL = r"\N"


def _lines(shapes: Sequence[str | None], days: Sequence[date], wards: Sequence[int | None]) -> Iterator[str]:
    """COPY text lines, 20,000 rows a piece; each distinct day and ward is written once."""
    day_text = {day: day.isoformat() for day in set(days)}
    ward_text = {ward: _NULL if ward is None else str(int(ward)) for ward in set(wards)}
    rows = zip(shapes, wards, days, strict=True)
    lines = [f"{n}\t{shape or _NULL}\t{ward_text[ward]}\t{day_text[day]}\n"
             for n, (shape, ward, day) in enumerate(rows, start=1)]
    for start in range(0, len(lines), 20_000):
        yield "".join(lines[start:start + 20_000])


@contextmanager
def staged(shapes: Sequence[str | None], days: Sequence[date],
           wards: Sequence[int | None] | None = None) -> Iterator[sql.Identifier]:
    """A temporary table `_ioc_places(n, g, ward, day)` holding each place (hex (E)WKB in EPSG:4326)
    with its number n (from 1), ward id and day, for the caller's queries; dropped on leaving."""
    wards = wards if wards is not None else [None] * len(shapes)
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.{t}").format(t=TABLE))
        cursor.execute(sql.SQL("CREATE TEMP TABLE {t} (n bigint, g geometry, ward bigint, day date)")
                       .format(t=TABLE))
        with cursor.copy(sql.SQL("COPY {t} (n, g, ward, day) FROM STDIN").format(t=TABLE)) as copy:
            for piece in _lines(shapes, days, wards):
                copy.write(piece)
        yield TABLE  # (on an error the transaction's rollback drops it)
        cursor.execute(sql.SQL("DROP TABLE {t}").format(t=TABLE))


def communes_of(shapes: Sequence[str | None], days: Sequence[date]) -> list[int | None]:
    """The commune holding each place on its day (the rule of ioc_commune_at, joined inline), as
    layers.communes.communes_at answers it, in one set-based query; None for no place or outside
    every commune."""
    if not shapes:
        return []
    with staged(shapes, days) as table, connection.cursor() as wrapper:
        commune = sql.Identifier("c")
        place = join_commune(sql.SQL("ST_SetSRID(p.g, 4326)"), sql.SQL("p.day"), commune)
        query = sql.SQL("SELECT {}.id FROM {} p {} ORDER BY p.n").format(commune, table, place)
        wrapper.cursor.execute(query)
        return [row[0] for row in wrapper.cursor.fetchall()]
