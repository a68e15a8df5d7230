"""Reading the change history kept by the database triggers: a feature's log, a layer as of a date."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.db.models.sql.datastructures import BaseTable
from psycopg import sql

from layers.models import FeatureHistory
from layers.registry import Layer


class NoHistory(ValueError):
    """The layer keeps no history (declare it with history=True in the catalog)."""


def _require_history(layer: Layer) -> str:
    if not layer.history:
        raise NoHistory(f"layer {layer.id!r} keeps no change history; as-of and history need "
                        "history=True in its declaration")
    return layer.table


def feature_history(layer: Layer, feature_id: int) -> QuerySet[FeatureHistory]:
    """Every recorded change of one feature, oldest first."""
    return FeatureHistory.objects.filter(table_name=_require_history(layer), feature_id=feature_id)


def _as_of_relation(layer: Layer) -> str:
    """SQL of the layer's rows as they were at the moment bound as its second parameter.

    Each feature's last history entry at that moment, unless it was a deletion; the row is rebuilt
    from the entry's attributes (jsonb_populate_record on the table's row type), its id and geometry
    come from the entry's own columns. Ordered by feature id inside (DISTINCT ON), so a page in id
    order, or after a cursor, reads only as many entries as it returns.
    """
    model = layer.model_class
    geometry = model._meta.get_field(layer.geometry_field).column
    columns = [
        sql.SQL("h.feature_id AS {}").format(sql.Identifier(f.column)) if f.primary_key
        else sql.SQL("h.after_geom AS {}").format(sql.Identifier(f.column)) if f.column == geometry
        else sql.SQL("r.{}").format(sql.Identifier(f.column))
        for f in model._meta.concrete_fields
    ]
    return sql.SQL(
        "SELECT {columns} FROM ("
        "SELECT DISTINCT ON (feature_id) feature_id, operation, after, after_geom FROM {history} "
        "WHERE table_name = %s AND changed_at <= %s ORDER BY feature_id, changed_at DESC, id DESC) h "
        "CROSS JOIN LATERAL jsonb_populate_record(NULL::{table}, h.after) r WHERE h.operation <> 'D'"
    ).format(columns=sql.SQL(", ").join(columns), history=sql.Identifier(FeatureHistory._meta.db_table),
             table=sql.Identifier(layer.table)).as_string(None)


class AsOfTable(BaseTable):
    """The FROM entry of a query on a layer's table, replaced by the layer as it was at a moment."""

    def __init__(self, table_name: str, alias: str | None, relation: str, params: tuple) -> None:
        super().__init__(table_name, alias)
        self.relation, self.params = relation, params

    def as_sql(self, compiler: object, connection: object) -> tuple[str, list]:
        alias = self.table_alias  # Django writes aliases other than the table's own name unquoted
        name = connection.ops.quote_name(alias) if alias == self.table_name else alias
        return f"({self.relation}) {name}", list(self.params)

    def relabeled_clone(self, change_map: dict) -> AsOfTable:
        alias = change_map.get(self.table_alias, self.table_alias)
        return self.__class__(self.table_name, alias, self.relation, self.params)

    @property
    def identity(self) -> tuple:
        return (*super().identity, self.relation, self.params)


def as_of_queryset(layer: Layer, moment: datetime) -> QuerySet:
    """The layer's features exactly as they were at `moment` (deleted ones back, later edits undone),
    as a queryset that filters, orders and pages like `layer.queryset()`."""
    table = _require_history(layer)
    queryset = layer.model_class._default_manager.all()
    query = queryset.query
    alias = query.get_initial_alias()
    query.alias_map[alias] = AsOfTable(table, alias, _as_of_relation(layer), (table, moment))
    return queryset.filter(**layer.filter)


def as_of(layer: Layer, moment: datetime) -> QuerySet:
    """The features of `layer` at `moment`, in id order."""
    return as_of_queryset(layer, moment).order_by("pk")
