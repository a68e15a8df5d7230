"""Reading the change history kept by the database triggers: a feature's log, a layer as of a date."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.db.models.query import RawQuerySet
from psycopg import sql

from layers.models import FeatureHistory
from layers.registry import Layer


class NoHistory(ValueError):
    """The layer keeps no history (declare it with history=True in the catalog)."""


def _require_history(layer: Layer) -> str:
    if not layer.history:
        raise NoHistory(f"layer {layer.id!r} keeps no change history")
    return layer.table


def feature_history(layer: Layer, feature_id: int) -> QuerySet[FeatureHistory]:
    """Every recorded change of one feature, oldest first."""
    return FeatureHistory.objects.filter(table_name=_require_history(layer), feature_id=feature_id)


def as_of(layer: Layer, moment: datetime,
          bbox: tuple[float, float, float, float] | None = None) -> RawQuerySet:
    """The layer's features exactly as they were at `moment` (deleted ones back, later edits undone)."""
    table = _require_history(layer)
    params: list[object] = [table, moment]
    where = sql.SQL("")
    if bbox:
        where = sql.SQL(" AND h.after_geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
        params.extend(bbox)
    query = sql.SQL(
        "SELECT (jsonb_populate_record(NULL::{table},"
        " h.after || jsonb_build_object({geom}, h.after_geom::text))).* FROM ("
        " SELECT DISTINCT ON (feature_id) operation, after, after_geom FROM layers_featurehistory"
        " WHERE table_name = %s AND changed_at <= %s"
        " ORDER BY feature_id, changed_at DESC, id DESC) h "
        "WHERE h.operation <> 'D'{where} ORDER BY (h.after->>'id')::bigint"
    ).format(table=sql.Identifier(table), geom=sql.Literal(layer.geometry_field), where=where)
    return layer.model_class.objects.raw(query.as_string(), params)
