"""Is a layer's data alive ("Sống")? Its last update is the latest of its rows' own change time
(`updated_at`, or the event time of an event layer) and the last import or harvest that confirmed it
(layers.LayerRefresh, even when nothing changed); the layer is late once its declared cadence, and a
quarter of it more, has passed since (layers.registry.CADENCES). A layer that never had data is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from psycopg import sql

from layers.models.refresh import LayerRefresh
from layers.registry import CADENCE_GRACE, CADENCES, Layer, registry


@dataclass(frozen=True)
class Freshness:
    """A layer's freshness at a moment."""

    layer: Layer
    rows_changed_at: datetime | None  # the rows' own latest time
    confirmed_at: datetime | None  # the last import or harvest
    due_by: datetime | None  # when it becomes late (None: no cadence)

    @property
    def last_update(self) -> datetime | None:
        known = [moment for moment in (self.rows_changed_at, self.confirmed_at) if moment is not None]
        return max(known) if known else None

    def late(self, now: datetime) -> bool:
        return self.layer.cadence is not None and (self.due_by is None or now > self.due_by)


def _rows_changed_at(layer: Layer) -> datetime | None:
    model = layer.model_class._meta
    names = {field.name: field.column for field in model.concrete_fields}
    column = names.get("updated_at") or (names[layer.time_field] if layer.in_time_window else None)
    if column is None:
        return None
    query = sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(column), sql.Identifier(model.db_table))
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(None))
        return cursor.fetchone()[0]


def freshness(layer: Layer) -> Freshness:
    """What is known of `layer`'s last update, and when it is due again."""
    changed = _rows_changed_at(layer)
    refresh = LayerRefresh.objects.filter(layer=layer.id).first()
    confirmed = refresh.refreshed_at if refresh else None
    last = max([moment for moment in (changed, confirmed) if moment is not None], default=None)
    due = None
    if layer.cadence is not None and last is not None:
        period = CADENCES[layer.cadence]
        due = last + period * (1 + CADENCE_GRACE)
    return Freshness(layer, changed, confirmed, due)


def watched_layers() -> list[Layer]:
    """The layers that declare a cadence."""
    return [layer for layer in registry if layer.cadence is not None]
