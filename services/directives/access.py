"""Who reads directives and which ones: the layer's readers (operators, leaders, unit staff and
administrators); a unit's staff their unit's only (Viewer.scoped), another's as if it did not exist."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from directives.escalation import directives_layer
from directives.models import Directive
from spatial.access import Viewer
from spatial.errors import Forbidden, NotFound


def reader(request: HttpRequest) -> Viewer:
    """The viewer, if it reads directives (401 anonymous, 403 without a reading role)."""
    viewer = Viewer.signed_in(request.user, "để theo dõi chỉ đạo", "to follow directives")
    if not viewer.can_read(directives_layer()):
        raise Forbidden("vai trò của bạn không xem được chỉ đạo", "your roles do not include directives")
    return viewer


def visible(viewer: Viewer) -> QuerySet[Directive]:
    """The directives this viewer may see: all, or its units' only."""
    layer = directives_layer()
    return viewer.scoped(layer, layer.queryset())


def visible_one(viewer: Viewer, directive_id: int) -> Directive:
    """One directive this viewer may see (404 otherwise, as if it did not exist)."""
    found = visible(viewer).filter(pk=directive_id).select_related("unit").first()
    if found is None:
        raise NotFound(f"không có chỉ đạo số {directive_id} / no directive {directive_id}")
    return found
