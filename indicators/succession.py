"""Which area unit went into which: UnitSuccession rows declared from the units' shapes (the share of a
predecessor's area each successor took) or by hand (population shares of a split, from the decision),
and the check that each predecessor's shares add up to 1. Method: docs/indicators.md#boundary-change."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from psycopg import sql

from indicators.models import UnitSuccession
from layers.identifiers import names
from layers.models import AdminUnit

SLIVER = 0.005  # overlaps under 0.5 % of a predecessor's area are drawing errors, not a part that moved
TOLERANCE = 1e-6

OVERLAPS = """
SELECT old.{u.id}, new.{u.id},
       ST_Area(ST_Intersection(old.{u.geom}, new.{u.geom})::geography) / ST_Area(old.{u.geom}::geography)
FROM {u} old JOIN {u} new ON new.{u.level} = old.{u.level} AND new.{u.valid_from} = %(day)s
     AND ST_Intersects(old.{u.geom}, new.{u.geom})
WHERE old.{u.valid_to} = %(day)s
ORDER BY 1, 2
"""


@transaction.atomic
def declare_by_area(day: date, source: str = "", within: list[int] | None = None) -> list[UnitSuccession]:
    """For each area unit that ended on `day`, a succession to each unit of its level that began on
    `day` and took part of it, with the share of its area it took (slivers under SLIVER left out and
    the rest rescaled to 1); basis "whole" when one successor took it all, else "area". Units already
    declared are left as they are; `within`: only these predecessors (ids)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(OVERLAPS).format(**names(AdminUnit, "u")).as_string(None), {"day": day})
        overlaps = cursor.fetchall()
    parts: dict[int, list[tuple[int, float]]] = {}
    for old, new, share in overlaps:
        if share >= SLIVER and (within is None or old in within):
            parts.setdefault(old, []).append((new, share))
    declared = set(UnitSuccession.objects.filter(predecessor__in=parts).values_list("predecessor", flat=True))
    made = []
    for old, successors in parts.items():
        if old in declared:
            continue
        whole = sum(share for _new, share in successors)
        for new, share in successors:
            made.append(
                UnitSuccession(
                    predecessor_id=old,
                    successor_id=new,
                    share=min(1.0, share / whole),
                    basis="whole" if len(successors) == 1 else "area",
                    source=source,
                )
            )
    return UnitSuccession.objects.bulk_create(made)


def uneven_shares() -> dict[int, float]:
    """{predecessor id: the sum of its shares} for every predecessor whose shares do not add up to 1."""
    sums: dict[int, float] = {}
    for predecessor, share in UnitSuccession.objects.values_list("predecessor", "share"):
        sums[predecessor] = sums.get(predecessor, 0.0) + share
    return {unit: total for unit, total in sums.items() if abs(total - 1.0) > TOLERANCE}
