"""Where a directive lies: the point it is given, else its linked citizen report's or incident's, else a
point inside its unit's area; and the commune holding that point on its day of issue (ioc_commune_at),
which the ward filter and the drill-down read."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.db.models.signals import pre_save

from directives.errors import DirectiveRefused
from layers.communes import communes_at, day_of


def default_point(unit: Any, report: Any = None, incident: Any = None) -> Point:
    """The place of a directive given none: its report's, its incident's, else inside its unit's area."""
    for linked in (report, incident):
        if linked is not None and linked.geom is not None:
            return linked.geom.clone()
    if unit.geom is not None and not unit.geom.empty:
        return unit.geom.point_on_surface
    raise DirectiveRefused(f"location: đơn vị {unit.name} chưa có địa bàn, hãy chọn vị trí trên bản đồ / "
                           f"{unit.name} has no area: give lon and lat")


def commune_of(point: Point, moment: Any) -> int | None:
    """The id of the commune holding `point` on the local day of `moment` (None outside the city)."""
    (commune,) = communes_at([point.ewkt], [day_of(moment)])
    return commune


def set_ward(sender: type, instance: Any, **_signal: Any) -> None:
    """pre_save: a directive without a commune gets the one holding its point on its day of issue."""
    if instance.ward_id is None and instance.geom is not None:
        instance.ward_id = commune_of(instance.geom, instance.issued_at)


def connect(model: type) -> None:
    """Attach the placement rule to the Directive model (called once by the app config)."""
    pre_save.connect(set_ward, sender=model, dispatch_uid="directives-ward")
