"""Wards on import, as on edit: a ward left blank is the commune holding the feature on its day
(layers.communes), a ward the file declares must hold it, and a cadastre's parcels keep the
cadastre's rules (layers.cadastre: inside their ward, no overlap)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import connection
from psycopg import sql

from etl import places
from layers.communes import commune_at
from layers.identifiers import names
from layers.models import AdminUnit

# For each place with its declared ward and day: whether the ward holds it (a point with its border,
# any other shape by its ST_PointOnSurface, as ioc_commune_at decides), and the commune that does.
_HOLDS = """
SELECT p.n - 1, ST_Intersects(u.{u.geom}, ST_PointOnSurface(p.g)), u.{u.name}, u.{u.code},
    c.{u.name}, c.{u.code}
  FROM (SELECT ST_SetSRID(x.g, 4326) AS g, x.ward, x.day, x.n FROM {places} x) p
  JOIN {u} u ON u.{u.id} = p.ward
  LEFT JOIN {u} c ON c.{u.id} = CASE WHEN ST_Intersects(u.{u.geom}, ST_PointOnSurface(p.g)) THEN NULL
                                     ELSE {commune} END  -- where it lies: only for the misses' messages
 ORDER BY p.n
"""


def declared_ward_misses(shapes: Sequence[str], wards: Sequence[int], days: Sequence[date]) -> dict[int, str]:
    """Index → message for each shape whose declared ward does not hold it, e.g. "ward: Hồng Hà (04261)
    does not hold the feature; it lies in Yên Bái (04300) on 2026-12-04"."""
    if not shapes:
        return {}
    identifiers = {**names(AdminUnit, "u"), "commune": commune_at(sql.SQL("p.g"), sql.SQL("p.day"))}
    with places.staged(shapes, days, wards) as table, connection.cursor() as cursor:
        cursor.execute(sql.SQL(_HOLDS).format(**identifiers, places=table).as_string(None))
        rows = cursor.fetchall()
    misses = {}
    for index, holds, name, code, found_name, found_code in rows:
        if not holds:
            where = f"{found_name} ({found_code})" if found_name else "no commune"
            misses[index] = (f"ward: {name} ({code}) does not hold the feature; it lies in {where} on "
                             f"{days[index]}")
    return misses
