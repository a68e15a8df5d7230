"""Who may see and change what: the one place every path in (OGC, tiles, map APIs, exports) asks.

Rules, all derived from the layer registry:
- anyone, signed in or not, reads public layers and their public fields;
- a user with one of a layer's `read_roles` (or an administrator) also reads the layer when it is
  not public, and its restricted fields;
- a user with one of a layer's `edit_roles` may write it; land officials and planners only inside
  the wards assigned to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spatial.roles import ADMINISTRATOR, LAND_OFFICIAL, PLANNER

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from layers.registry import Layer

WARD_BOUND_ROLES = frozenset({LAND_OFFICIAL.code, PLANNER.code})
VIEWER_SECONDS = 30  # a change of roles or wards takes effect within this time


@dataclass(frozen=True)
class Viewer:
    """The roles and assigned wards of whoever makes a request (anonymous: no roles)."""

    username: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    ward_ids: frozenset[int] = field(default_factory=frozenset)

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

        key = f"viewer:{user.pk}"
        if (viewer := cache.get(key)) is not None:
            return viewer
        from spatial.models import WardAssignment

        roles = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            roles.add(ADMINISTRATOR.code)
        wards = WardAssignment.objects.filter(user=user).values_list("ward_id", flat=True)
        viewer = cls(user.get_username(), frozenset(roles), frozenset(wards))
        cache.set(key, viewer, VIEWER_SECONDS)
        return viewer

    def can_read(self, layer: Layer) -> bool:
        return layer.public or self.is_admin or bool(self.roles & set(layer.read_roles))

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
        return self.is_admin or bool(self.roles & set(layer.edit_roles))

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


ANONYMOUS = Viewer()
