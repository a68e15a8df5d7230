"""Directives per unit, for the leaders' board: how many each unit was given, has open, has late (the
layer's Deadline rule), has done (on time or not) and was cancelled, over the list's filters (ward, time
window…), only what the viewer may see; units with the most late first."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from directives.models import Directive
from layers.models import ResponsibleUnit
from layers.registry import Layer
from layers.vocabularies import UNIT_KIND
from services.desk.queue import late
from services.directives.listing import Filters, select

FIGURES = ("total", "open", "late", "done", "done_on_time", "cancelled")


def _figures(layer: Layer) -> dict:
    closed = layer.workflow.closed
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=~Q(status__in=closed)),
        "late": Count("pk", filter=late(layer)),
        "done": Count("pk", filter=Q(status="done")),
        "done_on_time": Count("pk", filter=Q(status="done", done_at__lte=F("due_at"))),
        "cancelled": Count("pk", filter=Q(status="cancelled")),
    }


def by_unit(directives: QuerySet[Directive], layer: Layer, filters: Filters) -> dict:
    """{"units": [{"unit", "total", "open", "late", "done", "done_on_time", "cancelled", "on_time"}],
    "all": the same figures over them all}."""
    chosen = select(directives, layer, filters)
    counted = {row.pop("unit_id"): row for row in chosen.values("unit_id").annotate(**_figures(layer))}
    units = ResponsibleUnit.objects.filter(pk__in=counted).order_by("name")
    rows = []
    for unit in units:
        figures = counted[unit.pk]
        kind = UNIT_KIND[unit.unit_kind]
        rows.append({"unit": {"id": unit.pk, "code": unit.code, "name": unit.name,
                              "name_en": unit.name_en or unit.name, "unit_kind": unit.unit_kind,
                              "unit_kind_vi": kind.vi, "unit_kind_en": kind.en},
                     **figures, "on_time": _share(figures)})
    rows.sort(key=lambda r: (-r["late"], -r["open"], r["unit"]["name"]))
    everything = {name: sum(r[name] for r in rows) for name in FIGURES}
    return {"units": rows, "all": {**everything, "on_time": _share(everything)}}


def _share(figures: dict) -> float | None:
    """The share (0–1) of the done directives that were done by their deadline (None: none done)."""
    return round(figures["done_on_time"] / figures["done"], 4) if figures["done"] else None
