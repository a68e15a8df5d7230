"""Database triggers derived from the registry, installed (idempotently) after every migrate.

- every layer table with a `version` column: the version is bumped and `updated_at` set on any
  real change, whoever makes it (the ETag of the editing API);
- every table with an `area_m2` column: the area is recomputed on the ellipsoid from `geom`;
- every layer declared with `history=True`: insert/update/delete are written to
  layers_featurehistory with who, when, before and after.
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
  IF ioc_row_payload(to_jsonb(NEW)) IS DISTINCT FROM ioc_row_payload(to_jsonb(OLD)) THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  ELSE
    NEW.version := OLD.version;
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

CREATE OR REPLACE FUNCTION ioc_record_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  after_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
BEGIN
  IF TG_OP = 'UPDATE' AND ioc_row_payload(before_row) = ioc_row_payload(after_row) THEN
    RETURN NULL;
  END IF;
  INSERT INTO layers_featurehistory
    (table_name, feature_id, operation, changed_at, actor, before, after)
  VALUES (TG_TABLE_NAME, coalesce((after_row->>'id')::bigint, (before_row->>'id')::bigint),
          left(TG_OP, 1), clock_timestamp(), ioc_actor(), before_row, after_row);
  RETURN NULL;
END $$;
"""


def _trigger_sql(table: str, name: str, timing: str, events: str, function: str) -> str:
    quoted = connection.ops.quote_name(table)
    return (
        f"DROP TRIGGER IF EXISTS {name} ON {quoted};"
        f"CREATE TRIGGER {name} {timing} {events} ON {quoted} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();"
    )


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
        columns = {f.column for f in model._meta.concrete_fields}
        if "version" in columns:
            statements.append(
                _trigger_sql(table, "ioc_version", "BEFORE", "UPDATE", "ioc_bump_version")
            )
        if "area_m2" in columns:
            statements.append(
                _trigger_sql(table, "ioc_area", "BEFORE", "INSERT OR UPDATE OF geom", "ioc_compute_area")
            )
        if layer.history:
            statements.append(
                _trigger_sql(
                    table, "ioc_history", "AFTER", "INSERT OR UPDATE OR DELETE", "ioc_record_history"
                )
            )
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
