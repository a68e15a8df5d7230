"""Table and column names of a model as quoted SQL identifiers: SQL built in Python asks the model.

    query = sql.SQL("SELECT {unit.name} FROM {unit} WHERE {unit.id} = %s").format(**names(AdminUnit, "unit"))
"""

from __future__ import annotations

from django.db.models import Model
from psycopg import sql


def names(model: type[Model], prefix: str) -> dict[str, sql.Identifier]:
    """`prefix` → the model's table; `prefix.<field>` → its column, by field name and by attribute
    name (a foreign key `ward` answers both `{p.ward}` and `{p.ward_id}`)."""
    found = {prefix: sql.Identifier(model._meta.db_table)}
    for field in model._meta.concrete_fields:
        found[f"{prefix}.{field.name}"] = found[f"{prefix}.{field.attname}"] = sql.Identifier(field.column)
    return found


def table(model: type[Model]) -> sql.Identifier:
    """The model's table, quoted."""
    return sql.Identifier(model._meta.db_table)
