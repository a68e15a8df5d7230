"""Who may see and change what: the one place every path in (OGC, tiles, map APIs, exports) asks.

Rules, all derived from the layer registry:
- anyone, signed in or not, reads public layers and their public fields;
- a user with one of a layer's `read_roles` (or an administrator) also reads the layer when it is
  not public, and its restricted fields;
- a user with one of a layer's `edit_roles` (or an administrator) may write it, as far as its
  `edit_operations` allow; land officials and planners only inside the wards assigned to them, by
  the `ward` attribute and by the shape; a layer without edit roles is read-only;
- unit staff see and act on the features of a layer that names its responsible unit (`unit_field`)
  only where that unit is one of theirs (`unit_scope`), on every path: a feature of another unit is
  as absent as one that never existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from psycopg import sql

from spatial.errors import Forbidden, NotAuthenticated
from spatial.roles import ADMINISTRATOR, LAND_OFFICIAL, PLANNER, UNIT_STAFF

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.contrib.gis.geos import GEOSGeometry
    from django.db.models import QuerySet

    from layers.registry import Layer

WARD_BOUND_ROLES = frozenset({LAND_OFFICIAL.code, PLANNER.code})
UNIT_BOUND_ROLES = frozenset({UNIT_STAFF.code})
VIEWER_SECONDS = 30  # a change of roles, wards or units takes effect within this time
VIEWER_KEY = "viewer:{pk}:2"  # the cache key; its last part changes when Viewer's fields do
# how much of a shape may lie outside the editor's wards (digitising slivers along a boundary)
OUTSIDE_WARD_TOLERANCE_M2 = 2.0
OUTSIDE_WARD_TOLERANCE_M = 1.0  # for lines (a point is inside or not)


@dataclass(frozen=True)
class Viewer:
    """The roles, assigned wards and units of whoever makes a request (anonymous: no roles)."""

    username: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    ward_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)  # responsible units (unit staff)

    @property
    def is_anonymous(self) -> bool:
        return not self.username

    @property
    def is_admin(self) -> bool:
        return ADMINISTRATOR.code in self.roles

    @classmethod
    def of(cls, user: AbstractBaseUser | AnonymousUser | None) -> Viewer:
        """The viewer for a Django user; kept in the cache for VIEWER_SECONDS (roles change rarely)."""
        if user is None or not user.is_authenticated:
            return ANONYMOUS
        from django.core.cache import cache

        key = VIEWER_KEY.format(pk=user.pk)
        if (viewer := cache.get(key)) is not None:
            return viewer
        from spatial.models import UnitAssignment, WardAssignment

        roles = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            roles.add(ADMINISTRATOR.code)
        wards = WardAssignment.objects.filter(user=user).values_list("ward_id", flat=True)
        units = UnitAssignment.objects.filter(user=user).values_list("unit_id", flat=True)
        viewer = cls(user.get_username(), frozenset(roles), frozenset(wards), frozenset(units))
        cache.set(key, viewer, VIEWER_SECONDS)
        return viewer

    @classmethod
    def signed_in(cls, user: AbstractBaseUser | AnonymousUser | None, vi: str, en: str) -> Viewer:
        """The viewer of a path for signed-in users only: anonymous gets 401 saying, in the request's
        language, what signing in is for (`vi`, `en`: e.g. "để xem tình trạng dữ liệu")."""
        viewer = cls.of(user)
        if viewer.is_anonymous:
            raise NotAuthenticated(f"cần đăng nhập {vi}".strip(), f"sign in {en}".strip())
        return viewer

    def unit_scope(self, layer: Layer) -> frozenset[int] | None:
        """The responsible units (ids) this viewer is limited to on `layer`, or None when it is not
        limited. Unit staff are limited to their units (none assigned: to nothing) on a layer that
        declares a `unit_field`; administrators, viewers holding another role that reaches the layer
        (operators, leaders) and every layer without a unit field are not limited."""
        if layer.unit_field is None or self.is_admin or not (self.roles & UNIT_BOUND_ROLES):
            return None
        if (self.roles - UNIT_BOUND_ROLES) & {*layer.read_roles, *layer.edit_roles}:
            return None
        return self.unit_ids

    def scoped(self, layer: Layer, rows: QuerySet) -> QuerySet:
        """The rows of `layer`'s queryset `rows` this viewer may see and act on (unit_scope)."""
        return within_units(layer, rows, self.unit_scope(layer))

    def can_move(self, layer: Layer, source: str, *, hands_over: bool) -> bool:
        """Whether this viewer, an editor of `layer`, may run a move of its workflow from status
        `source`; `hands_over`: the move gives the feature to a unit (assign, reassign). A viewer
        limited to some units works the features it was given: it neither hands them over nor
        moves a closed one (reopening a resolved report is the citizen's)."""
        if self.unit_scope(layer) is None:
            return True
        closed = layer.workflow.closed if layer.workflow else ()
        return not hands_over and source not in closed

    def can_read(self, layer: Layer) -> bool:
        return layer.public or self.is_admin or bool(self.roles & set(layer.read_roles))

    def reads(self, layer: Layer) -> Layer:
        """`layer` if this viewer may read it; else 401 (anonymous: sign in) or 403, naming the layer
        by its title in the request's language (tiles, OGC collections, KPIs and trends ask this)."""
        if not self.can_read(layer):
            if self.is_anonymous:
                raise NotAuthenticated(
                    f"lớp «{layer.title_vi}» bị hạn chế: hãy đăng nhập (HTTP Basic hoặc mã truy cập)",
                    f"layer {layer.title_en!r} ({layer.id}) is restricted: sign in (HTTP Basic or token)")
            raise Forbidden(f"vai trò của bạn không được xem lớp «{layer.title_vi}»",
                            f"your roles do not allow reading layer {layer.title_en!r} ({layer.id})")
        return layer

    def sees_restricted(self, layer: Layer) -> bool:
        return self.is_admin or bool(self.roles & set(layer.read_roles))

    def readable_fields(self, layer: Layer) -> tuple[str, ...]:
        """The attribute names this viewer may read for a layer (empty if it cannot read it)."""
        if not self.can_read(layer):
            return ()
        if self.sees_restricted(layer):
            return layer.public_fields + layer.restricted_fields
        return layer.public_fields

    def can_edit(self, layer: Layer) -> bool:
        """Whether this viewer may write `layer`: a layer that names no edit roles is read-only to
        everyone (administrators change such data by import or in Django's admin)."""
        return bool(layer.edit_roles) and (self.is_admin or bool(self.roles & set(layer.edit_roles)))

    def can_write(self, layer: Layer, operation: str) -> bool:
        """Whether this viewer may `operation` (create, replace, update, delete) features of `layer`."""
        return self.can_edit(layer) and (self.is_admin or operation in layer.edit_operations)

    def can_edit_in_ward(self, layer: Layer, ward_id: int | None) -> bool:
        """Whether this viewer may write a feature of `layer` lying in ward `ward_id`."""
        if not self.can_edit(layer):
            return False
        if self.is_admin or not (self.roles & WARD_BOUND_ROLES):
            return True
        return ward_id is not None and ward_id in self.ward_ids

    def check_shape_in_wards(self, layer: Layer, geometry: GEOSGeometry,
                             before: GEOSGeometry | None = None) -> None:
        """Refuse (403, naming the ward) a shape that reaches outside this viewer's wards where
        `before` (the stored shape; None for a new feature) did not, beyond the tolerance. Only
        viewers bound to wards are checked; a feature that already crossed a boundary may be
        reshaped there, not moved elsewhere."""
        if self.is_admin or not (self.roles & WARD_BOUND_ROLES) or not self.can_edit(layer):
            return
        outside = _outside_wards(geometry, before, self.ward_ids)
        if outside is not None:
            amount, ward = outside
            where = f"in {ward}" if ward else "outside every ward"
            raise Forbidden(
                f"geometry: hình vẽ nằm ngoài địa bàn được giao ({amount} {where}) / the shape lies outside "
                f"your assigned wards ({amount} {where}); you may edit {layer.id} only inside your wards")


def within_units(layer: Layer, rows: QuerySet, scope: Iterable[int] | None) -> QuerySet:
    """The rows of `layer`'s queryset `rows` handled by the units `scope` (None: all of them), for
    code that holds a viewer's unit_scope rather than the viewer (an OGC provider)."""
    return rows if scope is None else rows.filter(**{f"{layer.unit_field}__in": sorted(scope)})


_OUTSIDE_SQL = """
WITH mine AS (SELECT coalesce(ST_Union({geom}), 'SRID=4326;GEOMETRYCOLLECTION EMPTY'::geometry) AS g
              FROM {units} WHERE {id} = ANY(%(wards)s)),
     outside AS (SELECT ST_Difference(ST_Difference(ST_GeomFromEWKT(%(shape)s), mine.g),
                                      coalesce(ST_GeomFromEWKT(%(before)s),
                                               'SRID=4326;POINT EMPTY'::geometry)) AS g,
                        ST_Dimension(ST_GeomFromEWKT(%(shape)s)) AS dimension
                 FROM mine)
SELECT outside.dimension,
       CASE outside.dimension WHEN 2 THEN ST_Area(outside.g::geography)
                              WHEN 1 THEN ST_Length(outside.g::geography) ELSE ST_NPoints(outside.g) END,
       (SELECT u.{name} FROM {units} u
        WHERE u.{level} = 'commune' AND u.{geom} && outside.g
          AND (NOT EXISTS (SELECT 1 FROM {units} a WHERE a.{id} = ANY(%(wards)s))
               OR EXISTS (SELECT 1 FROM {units} a WHERE a.{id} = ANY(%(wards)s) -- the same generation
                          AND a.{valid_from} = u.{valid_from}
                          AND a.{valid_to} IS NOT DISTINCT FROM u.{valid_to}))
        ORDER BY ST_Area(ST_Intersection(u.{geom}, outside.g)) DESC,
                 ST_Length(ST_Intersection(u.{geom}, outside.g)) DESC, u.{valid_to} DESC NULLS FIRST, u.{id}
        LIMIT 1)
FROM outside
"""
_LIMITS = {2: (OUTSIDE_WARD_TOLERANCE_M2, "m²"), 1: (OUTSIDE_WARD_TOLERANCE_M, "m"), 0: (0, "point(s)")}


def _outside_wards(geometry: GEOSGeometry, before: GEOSGeometry | None,
                   ward_ids: frozenset[int]) -> tuple[str, str | None] | None:
    """(how much, the ward where most of it lies) of the part of `geometry` outside the wards
    `ward_ids` that `before` did not already cover, when that exceeds the tolerance; None otherwise."""
    from django.db import connection

    from spatial.models import WardAssignment

    units = WardAssignment._meta.get_field("ward").related_model._meta
    column = {name: sql.Identifier(units.get_field(name).column)
              for name in ("geom", "name", "level", "valid_from", "valid_to")}
    query = sql.SQL(_OUTSIDE_SQL).format(units=sql.Identifier(units.db_table),
                                         id=sql.Identifier(units.pk.column), **column)
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(None), {"shape": geometry.ewkt, "wards": sorted(ward_ids),
                                               "before": before.ewkt if before else None})
        dimension, added, ward = cursor.fetchone()
    tolerance, unit = _LIMITS.get(dimension, (0, ""))
    if added is not None and added > tolerance:
        return f"{added:,.0f} {unit}", ward
    return None


ANONYMOUS = Viewer()
