"""Likely duplicates of a new report: open reports of the same category received within the
category's time window before it and within its radius on the ground (CategoryPolicy), nearest first.

The radius is in metres on the geography (ST_DWithin on geography); a bounding-box test in degrees,
wider than the radius at any latitude of Vietnam, lets the spatial index find the candidates first.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Distance
from django.db.models import BooleanField, F, Func, QuerySet, Value
from django.db.models.functions import Cast

from feedback.deadlines import policy_for
from layers.catalog import registry
from layers.models import CitizenReport

POINT = PointField(srid=4326)
DEGREES_PER_METRE = 1 / 100_000  # generous: a degree of longitude is ≥ 100 km south of 25° N


class WithinMetres(Func):
    """ST_DWithin(a::geography, b::geography, metres)."""

    function = "ST_DWithin"
    output_field = BooleanField()


def _geography(expression: object) -> Cast:
    return Cast(expression, PointField(geography=True, srid=4326))


def likely_duplicates(report: CitizenReport) -> QuerySet[CitizenReport]:
    """Open reports that may be the same problem as `report` (empty when its category has no radius)."""
    policy = policy_for(report.category)
    if not policy.duplicate_radius_m or report.geom is None:
        return CitizenReport.objects.none()
    layer = registry.for_model(CitizenReport)[0]
    radius = policy.duplicate_radius_m
    return (
        CitizenReport.objects
        .filter(category=report.category,
                received_at__gte=report.received_at - timedelta(hours=policy.duplicate_hours),
                received_at__lte=report.received_at,
                geom__dwithin=(report.geom, radius * DEGREES_PER_METRE))
        .exclude(pk=report.pk)
        .exclude(**{f"{layer.workflow.field}__in": layer.workflow.closed})
        .filter(WithinMetres(_geography(F("geom")), _geography(Value(report.geom, output_field=POINT)),
                             Value(radius)))
        .annotate(metres=Distance("geom", report.geom))
        .order_by("metres", "pk")
    )


def flag_likely_duplicate(sender: type, instance: CitizenReport, **_signal: object) -> None:
    """pre_save: a report coming in is marked with the nearest open report it may repeat."""
    if instance._state.adding and instance.likely_duplicate_of_id is None and instance.received_at:
        instance.likely_duplicate_of = likely_duplicates(instance).first()


def merge(duplicate: CitizenReport, *, into: CitizenReport, by: object = None) -> None:
    """An operator merges `duplicate` into `into`: it is closed as rejected, saying so publicly, and
    its reporter hears of `into`'s answer (feedback.announcements)."""
    if duplicate.pk == into.pk or into.duplicate_of_id is not None:
        raise ValueError(f"{duplicate.code} cannot be merged into {into.code}")
    duplicate.duplicate_of = into
    duplicate.reject(reason=f"Trùng với phản ánh {into.code}, được xử lý cùng phản ánh đó / "
                            f"the same as report {into.code}, handled with it", by=by)
    duplicate.save()
