"""A cadastre's geometry rules, declared by `Layer.cadastral`: a parcel lies inside its ward and
overlaps no other parcel by more than a small tolerance.

The one definition, asked by the editing API (one parcel at a time) and by the importer (a file's
rows at once, which must also not overlap each other). Both get the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from psycopg import sql

from layers.identifiers import names
from spatial.access import OUTSIDE_WARD_TOLERANCE_M2

OVERLAP_TOLERANCE_M2 = 0.5
_CANDIDATES = "ioc_cadastre_candidates"  # a temporary table of the shapes being judged

_CREATE = (
    "CREATE TEMP TABLE IF NOT EXISTS {c} (n integer, geom geometry, ward bigint, own bigint) ON COMMIT DROP; "
    "TRUNCATE {c}"
)
# built after the fill: one build is cheaper than an insert into the index per shape (docs/benchmarks.md)
_INDEX = (
    "CREATE UNIQUE INDEX IF NOT EXISTS {c_n} ON {c} (n); "
    "CREATE INDEX IF NOT EXISTS {c_geom} ON {c} USING gist (geom); "
    "CREATE INDEX IF NOT EXISTS {c_own} ON {c} (own); "
    "ANALYZE {c}"
)
# filled by COPY (the shapes as text: WKT, EWKT or hex (E)WKB), then put in EPSG:4326 whatever SRID
# they were written with: faster than the same shapes as array parameters (docs/benchmarks.md)
_FILL = "COPY {c} (n, geom, ward, own) FROM STDIN"
_IN_4326 = "UPDATE {c} SET geom = ST_SetSRID(geom, 4326)"
# For each candidate: its ward (name, code) and the area outside it; the worst overlap with a stored
# parcel that no candidate replaces; the worst overlap with an earlier candidate.
_JUDGE = """
SELECT c.n, u.{u.name}, u.{u.code},
       CASE WHEN u.{u.id} IS NULL OR ST_CoveredBy(c.geom, u.{u.geom}) THEN 0
            ELSE ST_Area(ST_Difference(c.geom, u.{u.geom})::geography) END,
       u.{u.id} IS NOT NULL,
       o.id, o.sheet_no, o.parcel_no, o.a, b.n, b.a
  FROM {c} c
  LEFT JOIN {u} u ON u.{u.id} = c.ward
  LEFT JOIN LATERAL (
       SELECT p.{p.id} AS id, p.{p.sheet_no} AS sheet_no, p.{p.parcel_no} AS parcel_no,
              ST_Area(ST_Intersection(p.{p.geom}, c.geom)::geography) AS a
         FROM {p} p
        WHERE p.{p.geom} && c.geom AND ST_Relate(p.{p.geom}, c.geom, '2********')
          AND NOT EXISTS (SELECT 1 FROM {c} r WHERE r.own = p.{p.id})
        ORDER BY a DESC LIMIT 1) o ON true
  LEFT JOIN LATERAL (
       SELECT e.n, ST_Area(ST_Intersection(e.geom, c.geom)::geography) AS a
         FROM {c} e
        WHERE {compare_batch} AND e.n < c.n AND e.geom && c.geom AND ST_Relate(e.geom, c.geom, '2********')
        ORDER BY a DESC LIMIT 1) b ON true
 ORDER BY c.n
"""
# The batch's shapes overlap each other by at most this much in all: their areas' sum less their union's
# area is at least any two's overlap, so when it is within the tolerance no pair needs comparing.
_BATCH_OVERLAP = ("SELECT coalesce(sum(ST_Area(geom::geography)) - ST_Area(ST_Union(geom)::geography), 0) "
                  "FROM {c}")
BATCH_SHORTCUT_ROWS = 1000  # from this many shapes the one union may be cheaper than the pairs
# How many other boxes of the batch meet the boxes of every k-th shape (the GiST probes, without judging
# any pair): an estimate of the pairs to judge, n × meetings / k / 2. The union pays where shapes share
# their edges (a cadastre: pairs ≥ shapes); shapes apart from each other leave few pairs to judge, and
# then the union costs more than they do (docs/benchmarks.md, bench/import).
_BATCH_MEETINGS = ("SELECT count(*) FROM {c} a JOIN {c} b ON b.n <> a.n AND a.geom && b.geom "
                   "WHERE a.n %% %s = 0")
_SAMPLED = 1000  # shapes probed


@dataclass(frozen=True)
class Breach:
    """The rule a parcel breaks; `message` is what the editing API and the importer answer."""

    rule: str  # "ward" | "inside_ward" | "overlap"
    message: str
    other: int | None = None  # the index of the earlier shape of the same batch it overlaps


def breaches(
    model: type[Model],
    shapes: Sequence[str],
    wards: Sequence[int | None],
    own: Sequence[int | None] | None = None,
    labels: Sequence[str] | None = None,
) -> list[Breach | None]:
    """For each parcel shape (WKT, EWKT or hex (E)WKB in EPSG:4326) with its ward id, the first rule
    it breaks, None when it passes; in one query, inside the caller's transaction.

    `own`: the id of the stored parcel each shape replaces (None: a new parcel); stored parcels that
    some shape replaces are not compared. Shapes are also compared with the earlier shapes of the
    batch, named by `labels` (default "feature 3"). Example, one edit:
    breaches(Parcel, [geom.ewkt], [ward_id], [pk]) == [None].
    """
    own = list(own) if own is not None else [None] * len(shapes)
    if not len(shapes) == len(wards) == len(own):
        raise ValueError(f"{len(shapes)} shapes, {len(wards)} wards and {len(own)} ids")
    if not shapes:
        return []
    ward_model = model._meta.get_field("ward").related_model
    identifiers = {**names(ward_model, "u"), **names(model, "p"), "c": sql.Identifier(_CANDIDATES),
                   "c_geom": sql.Identifier(f"{_CANDIDATES}_geom"),
                   "c_own": sql.Identifier(f"{_CANDIDATES}_own"), "c_n": sql.Identifier(f"{_CANDIDATES}_n")}
    with transaction.atomic(), connection.cursor() as cursor:  # the table lives until commit
        cursor.execute(sql.SQL(_CREATE).format(**identifiers).as_string(None))
        with cursor.cursor.copy(sql.SQL(_FILL).format(**identifiers)) as copy:
            for row in zip(range(len(shapes)), shapes, wards, own, strict=True):
                copy.write_row(row)
        cursor.execute(sql.SQL(_IN_4326).format(**identifiers).as_string(None))
        cursor.execute(sql.SQL(_INDEX).format(**identifiers).as_string(None))
        compare = len(shapes) < BATCH_SHORTCUT_ROWS or _few_pairs(cursor, identifiers, len(shapes)) or \
            _batch_overlap(cursor, identifiers) > OVERLAP_TOLERANCE_M2
        judge = sql.SQL(_JUDGE).format(**identifiers, compare_batch=sql.SQL("true" if compare else "false"))
        cursor.execute(judge.as_string(None))
        rows = cursor.fetchall()
    labels = list(labels) if labels is not None else [f"feature {i + 1}" for i in range(len(shapes))]
    found: list[Breach | None] = [None] * len(shapes)
    for n, ward_name, ward_code, outside, ward_exists, pid, sheet, number, area, earlier, batch_area in rows:
        found[n] = _judge(wards[n], ward_name, ward_code, outside, ward_exists, (pid, sheet, number, area),
                          (earlier, batch_area), labels)
    return found


def _few_pairs(cursor: object, identifiers: dict, shapes: int) -> bool:
    """Whether fewer pairs of the batch's boxes meet than there are shapes (compare those pairs), as
    estimated from every k-th shape's boxes (all of them up to _SAMPLED shapes)."""
    step = max(1, shapes // _SAMPLED)
    cursor.execute(sql.SQL(_BATCH_MEETINGS).format(**identifiers).as_string(None), [step])
    return cursor.fetchone()[0] * step < 2 * shapes


def _batch_overlap(cursor: object, identifiers: dict) -> float:
    """The most the batch's shapes may overlap each other in all (m²); infinite when the union fails."""
    try:
        with transaction.atomic():
            cursor.execute(sql.SQL(_BATCH_OVERLAP).format(**identifiers).as_string(None))
            return float(cursor.fetchone()[0])
    except DatabaseError:  # a shape the union cannot node: compare the pairs
        return float("inf")


def _judge(ward: int | None, ward_name: str | None, ward_code: str | None, outside: float, ward_exists: bool,
           stored: tuple, batch: tuple, labels: list[str]) -> Breach | None:
    if ward is None:
        return Breach("ward", "ward: missing; a parcel belongs to one ward")
    if not ward_exists:
        return Breach("ward", f"ward: {ward} is not a ward id")
    if outside > OUTSIDE_WARD_TOLERANCE_M2:
        return Breach("inside_ward", f"geometry: {outside:.1f} m² lie outside {ward_name} ({ward_code}) "
                      f"(tolerance {OUTSIDE_WARD_TOLERANCE_M2} m²); a parcel belongs to one ward")
    pid, sheet, number, area = stored
    if area is not None and area > OVERLAP_TOLERANCE_M2:
        return Breach("overlap", f"geometry overlaps parcel {pid} (tờ {sheet} thửa {number}) by "
                      f"{area:.2f} m² (tolerance {OVERLAP_TOLERANCE_M2} m²)")
    earlier, batch_area = batch
    if batch_area is not None and batch_area > OVERLAP_TOLERANCE_M2:
        return Breach("overlap", f"geometry overlaps {labels[earlier]} by {batch_area:.2f} m² "
                      f"(tolerance {OVERLAP_TOLERANCE_M2} m²)", earlier)
    return None
