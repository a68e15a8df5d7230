"""Database triggers derived from the registry, installed (idempotently) after every migrate.

- every layer table with a `version` column: the version is bumped and `updated_at` set on any
  real change, whoever makes it (the ETag of the editing API);
- every table with an `area_m2` column: the area is recomputed on the ellipsoid from `geom`;
- every layer declared with `history=True`: insert/update/delete are written to
  layers_featurehistory with who, when, before and after (per statement, from transition tables).
"""

from __future__ import annotations

import logging

from django.db import connection

from layers.registry import registry

logger = logging.getLogger(__name__)

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION ioc_row_payload(r jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$ SELECT r - 'version' - 'updated_at' $$;

CREATE OR REPLACE FUNCTION ioc_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version;
  NEW.updated_at := OLD.updated_at;
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ioc_compute_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.area_m2 := round(ST_Area(NEW.geom::geography)::numeric, 2);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ioc_actor() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('ioc.actor', true), ''), 'db:' || session_user)
$$;

"""


def _trigger_sql(table: str, name: str, timing: str, events: str, function: str,
                 each: str = "FOR EACH ROW") -> str:
    quoted = connection.ops.quote_name(table)
    return (
        f"DROP TRIGGER IF EXISTS {name} ON {quoted};"
        f"CREATE TRIGGER {name} {timing} {events} ON {quoted} {each} EXECUTE FUNCTION {function}();"
    )


def _history_sql(table: str, columns: list[str], geometry: str) -> list[str]:
    """Per-table statement-level history triggers reading the transition tables.

    One set-based INSERT per edit statement keeps bulk imports fast; attributes are built with
    jsonb_build_object (converting the geometry to JSON would dominate the cost), the geometry is
    kept as geometry.
    """
    def attrs(alias: str) -> str:
        pairs = ", ".join(f"'{c}', {alias}.{connection.ops.quote_name(c)}" for c in columns)
        return f"jsonb_build_object({pairs})"

    geom = connection.ops.quote_name(geometry)
    head = ("INSERT INTO layers_featurehistory (table_name, feature_id, operation, changed_at, actor, "
            "before, after, before_geom, after_geom) ")
    bodies = {
        "INSERT": (f"{head} SELECT '{table}', n.id, 'I', clock_timestamp(), ioc_actor(), NULL, "
                   f"{attrs('n')}, NULL, n.{geom} FROM ioc_new n",
                   "REFERENCING NEW TABLE AS ioc_new"),
        "UPDATE": (f"{head} SELECT '{table}', n.id, 'U', clock_timestamp(), ioc_actor(), b, a, o.{geom}, "
                   f"n.{geom} FROM ioc_new n JOIN ioc_old o ON o.id = n.id, {attrs('o')} b, {attrs('n')} a "
                   f"WHERE ioc_row_payload(b) IS DISTINCT FROM ioc_row_payload(a) "
                   f"OR o.{geom} IS DISTINCT FROM n.{geom}",
                   "REFERENCING OLD TABLE AS ioc_old NEW TABLE AS ioc_new"),
        "DELETE": (f"{head} SELECT '{table}', o.id, 'D', clock_timestamp(), ioc_actor(), {attrs('o')}, "
                   f"NULL, o.{geom}, NULL FROM ioc_old o",
                   "REFERENCING OLD TABLE AS ioc_old"),
    }
    statements = []
    for event, (body, refs) in bodies.items():
        function = f"ioc_history_{event[0].lower()}__{table}"
        statements.append(f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                          f"AS $$ BEGIN {body}; RETURN NULL; END $$;")
        statements.append(_trigger_sql(table, f"ioc_history_{event[0].lower()}", "AFTER", event, function,
                                       f"{refs} FOR EACH STATEMENT"))
    return statements


def hook_statements() -> list[str]:
    """Every statement that installs the functions and the triggers the registry implies."""
    statements = [FUNCTIONS_SQL]
    seen: set[str] = set()
    for layer in registry:
        model = layer.model_class
        table = model._meta.db_table
        if table in seen or not model._meta.managed:
            continue
        seen.add(table)
        columns = [f.column for f in model._meta.concrete_fields]
        if "version" in columns:
            statements.append(
                _trigger_sql(table, "ioc_version", "BEFORE", "UPDATE", "ioc_bump_version")
            )
        if "area_m2" in columns:
            statements.append(
                _trigger_sql(table, "ioc_area", "BEFORE", "INSERT OR UPDATE OF geom", "ioc_compute_area")
            )
        if layer.history:
            attributes = [c for c in columns if c != layer.geometry_field]
            statements.extend(_history_sql(table, sorted(attributes), layer.geometry_field))
    return statements


def install(using: str = "default") -> None:
    """(Re)install all database hooks; safe to run any number of times."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        for statement in hook_statements():
            cursor.execute(statement)
    logger.info("database hooks installed for %d layers", len(registry.ids()))


def install_after_migrate(using: str = "default", **_kwargs: object) -> None:
    """post_migrate receiver: the hooks follow the registry after every migrate."""
    install(using)
