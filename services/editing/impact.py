"""What an edit does before it is saved: the area before and after, and for a cadastre the gaps it
leaves and the overlaps it makes with neighbouring parcels.

The editing API answers this for a dry run (`?dry-run=true` on PUT or PATCH), so the map's editor
can show the old and the new area, draw gaps and overlaps, and ask for confirmation when the layer's
editor rules say so (Layer.editor.confirm_area_change), before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import Model
from psycopg import sql

from layers.cadastre import OVERLAP_TOLERANCE_M2
from layers.identifiers import names
from layers.registry import Layer

GAP_TOLERANCE_M2 = OVERLAP_TOLERANCE_M2  # uncovered slivers smaller than this are drawing noise
# Features are read with coordinates to 1 cm (7 decimals), so a shape sent back unchanged may move a
# boundary by up to 1 cm: along a 100 m edge that is a 1 m² sliver. A gap or an overlap counts when
# it is also wider than this on average (twice its area over its perimeter).
MIN_WIDTH_M = 0.1
NEIGHBOUR_DISTANCE_DEG = 2e-6  # about 20 cm: a parcel this close to a gap borders it

_AREA = "SELECT ST_Area(%(after)s::geometry::geography), ST_Area(%(before)s::geometry::geography)"
# The neighbours the new shape overlaps more than the old one did (an overlap already stored is not
# the edit's), the largest overlap first: its area and how much the edit adds.
_OVERLAPS = """
SELECT p.{p.id}, p.{p.sheet_no}, p.{p.parcel_no}, ST_Area(ST_Intersection(p.{p.geom}, g.s)::geography) AS a,
       ST_Area(ST_Intersection(p.{p.geom}, g.s)::geography)
         - coalesce(ST_Area(ST_Intersection(p.{p.geom}, g.b)::geography), 0),
       ST_Perimeter(ST_Intersection(p.{p.geom}, g.s)::geography),
       ST_AsGeoJSON(ST_CollectionExtract(ST_Intersection(p.{p.geom}, g.s), 3), 7)
  FROM {p} p, (SELECT %(after)s::geometry AS s, %(before)s::geometry AS b) g
 WHERE p.{p.geom} && g.s AND p.{p.id} IS DISTINCT FROM %(own)s AND ST_Relate(p.{p.geom}, g.s, '2********')
 ORDER BY a DESC LIMIT 20
"""
GROWTH_M2 = 0.05  # an overlap the edit grows by less than this is drawing noise
# The land the old shape covered that neither the new shape nor any other parcel covers, piece by
# piece, with the parcels bordering each piece.
_GAPS = """
WITH lost AS (SELECT ST_Difference(%(before)s::geometry, %(after)s::geometry) AS g),
     uncovered AS (
       SELECT ST_Difference(lost.g, coalesce(
                (SELECT ST_Union(p.{p.geom}) FROM {p} p
                  WHERE p.{p.geom} && lost.g AND p.{p.id} IS DISTINCT FROM %(own)s),
                'SRID=4326;POLYGON EMPTY'::geometry)) AS g
         FROM lost),
     pieces AS (SELECT (ST_Dump(ST_CollectionExtract(g, 3))).geom AS g FROM uncovered)
SELECT ST_Area(pieces.g::geography) AS a, ST_Perimeter(pieces.g::geography), ST_AsGeoJSON(pieces.g, 7),
       ARRAY(SELECT json_build_object('id', p.{p.id}, 'sheet_no', p.{p.sheet_no},
                                      'parcel_no', p.{p.parcel_no})
               FROM {p} p
              WHERE p.{p.id} IS DISTINCT FROM %(own)s AND p.{p.geom} && ST_Expand(pieces.g, %(near)s)
                AND ST_DWithin(p.{p.geom}, pieces.g, %(near)s)
              ORDER BY p.{p.id})
  FROM pieces
 ORDER BY a DESC
"""


@dataclass
class Impact:
    """What an edit would do (areas in m², the change as a share of the old area)."""

    ward: dict | None = None  # {"id", "name"} of the ward the feature would lie in
    area_before: float | None = None
    area_after: float | None = None
    threshold: float | None = None  # the layer's confirm_area_change
    gaps: list[dict] = field(default_factory=list)
    overlaps: list[dict] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if not self.area_before or self.area_after is None:
            return None
        return (self.area_after - self.area_before) / self.area_before

    @property
    def reasons(self) -> list[str]:
        """Why the editor must confirm: "area" (changed beyond the threshold), "gap" (land left
        uncovered next to neighbours)."""
        found = []
        if self.threshold is not None and self.change is not None and abs(self.change) > self.threshold:
            found.append("area")
        if self.gaps:
            found.append("gap")
        return found

    def as_json(self) -> dict:
        return {
            "ward": self.ward,
            "area": {"before": _round(self.area_before), "after": _round(self.area_after),
                     "change": None if self.change is None else round(self.change, 4),
                     "threshold": self.threshold},
            "gaps": self.gaps,
            "overlaps": self.overlaps,
            "confirm": bool(self.reasons),
            "reasons": self.reasons,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def impact(layer: Layer, instance: Model, before: Model | None) -> Impact:
    """What saving `instance` (validated, not yet saved) over `before` (None: a new feature) does."""
    shape: GEOSGeometry | None = getattr(instance, layer.geometry_field)
    old: GEOSGeometry | None = getattr(before, layer.geometry_field, None) if before is not None else None
    found = Impact(ward=_ward(instance), threshold=layer.editor.confirm_area_change)
    if shape is None or shape.dims != 2:
        return found
    values = {"after": shape.ewkt, "before": old.ewkt if old is not None else None, "own": instance.pk,
              "near": NEIGHBOUR_DISTANCE_DEG}
    with connection.cursor() as cursor:
        cursor.execute(_AREA, values)
        found.area_after, found.area_before = cursor.fetchone()
        if not layer.cadastral:
            return found
        identifiers = names(type(instance), "p")
        cursor.execute(sql.SQL(_OVERLAPS).format(**identifiers).as_string(None), values)
        found.overlaps = [{"id": pid, "sheet_no": sheet, "parcel_no": number, "area_m2": round(area, 2),
                           "geometry": json.loads(geometry)}
                          for pid, sheet, number, area, growth, perimeter, geometry in cursor.fetchall()
                          if growth > GROWTH_M2 and _wide(area, perimeter)]
        if old is not None:
            cursor.execute(sql.SQL(_GAPS).format(**identifiers).as_string(None), values)
            found.gaps = [{"area_m2": round(area, 2), "geometry": json.loads(geometry),
                           "neighbours": neighbours}
                          for area, perimeter, geometry, neighbours in cursor.fetchall()
                          if area > GAP_TOLERANCE_M2 and _wide(area, perimeter)]
    return found


def _wide(area: float, perimeter: float) -> bool:
    """Whether a piece is wider than MIN_WIDTH_M on average (not a sliver along a boundary)."""
    return perimeter > 0 and 2 * area / perimeter > MIN_WIDTH_M


def _ward(instance: Model) -> dict | None:
    """The feature's ward by id and name (None for layers without one)."""
    if "ward" not in {f.name for f in instance._meta.concrete_fields} or instance.ward_id is None:
        return None
    unit = instance._meta.get_field("ward").related_model
    name = unit._default_manager.filter(pk=instance.ward_id).values_list("name", flat=True).first()
    return {"id": instance.ward_id, "name": name}
