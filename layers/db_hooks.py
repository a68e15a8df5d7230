"""Database triggers derived from the registry, installed (idempotently) after every migrate.

- every layer table with a `version` column: the version is bumped and `updated_at` set on any
  real change, whoever makes it (the ETag of the editing API);
- every table with an `area_m2` column: the area is recomputed on the ellipsoid from `geom`;
- every layer table: one NOTIFY ioc_tiles per edit statement with the boxes it touched;
- every layer declared with `history=True`: insert/update/delete are written to the feature
  history with who, when, before and after (per statement, from transition tables);
- every event layer (`Layer.is_event`): one NOTIFY ioc_events per insert statement with the layer,
  the count and the newest rows (the map's live feed, web_map.live_feed).

The functions the triggers call (ioc_bump_version, ioc_compute_area, ioc_tiles_*, …) and the ones
the services call (ioc_nth_key, ioc_commune_at) are not here: they live in layers/sql/*.sql, loaded
by migrations. What is built here depends on the registry and takes every table and column name
from the models.
"""

from __future__ import annotations

import logging

from psycopg import sql

from layers.models import FeatureHistory
from layers.registry import Layer, registry
from spatial.sql import local_iso

logger = logging.getLogger(__name__)

def _trigger_sql(table: str, name: str, timing: str, events: str, function: str,
                 each: str = "FOR EACH ROW") -> str:
    """Drop and create one trigger; `timing`, `events` and `each` are fixed words of this module."""
    return sql.SQL("DROP TRIGGER IF EXISTS {name} ON {table}; CREATE TRIGGER {name} {timing} {events} "
                   "ON {table} {each} EXECUTE FUNCTION {function}()").format(
        name=sql.Identifier(name), table=sql.Identifier(table), timing=sql.SQL(timing),
        events=sql.SQL(events), each=sql.SQL(each), function=sql.Identifier(function)).as_string()


HISTORY_COLUMNS = ("table_name", "feature_id", "operation", "changed_at", "actor", "before", "after",
                   "before_geom", "after_geom")
# event → (the SELECT feeding the history, the transition tables it reads)
_HISTORY_BODIES = {
    "INSERT": ("SELECT {table}, n.id, 'I', clock_timestamp(), ioc_actor(), NULL, {new}, NULL, n.{geom} "
               "FROM ioc_new n", "REFERENCING NEW TABLE AS ioc_new"),
    "UPDATE": ("SELECT {table}, n.id, 'U', clock_timestamp(), ioc_actor(), b, a, o.{geom}, n.{geom} "
               "FROM ioc_new n JOIN ioc_old o ON o.id = n.id, {old} b, {new} a "
               "WHERE ioc_row_payload(b) IS DISTINCT FROM ioc_row_payload(a) "
               "OR o.{geom} IS DISTINCT FROM n.{geom}",
               "REFERENCING OLD TABLE AS ioc_old NEW TABLE AS ioc_new"),
    "DELETE": ("SELECT {table}, o.id, 'D', clock_timestamp(), ioc_actor(), {old}, NULL, o.{geom}, NULL "
               "FROM ioc_old o", "REFERENCING OLD TABLE AS ioc_old"),
}


def _history_sql(table: str, columns: list[str], geometry: str) -> list[str]:
    """Per-table statement-level history triggers reading the transition tables.

    One set-based INSERT per edit statement keeps bulk imports fast; attributes are built with
    jsonb_build_object (converting the geometry to JSON would dominate the cost), the geometry is
    kept as geometry.
    """
    def attrs(alias: str) -> sql.Composable:
        pairs = (sql.SQL("{}, {}.{}").format(sql.Literal(c), sql.Identifier(alias), sql.Identifier(c))
                 for c in columns)
        return sql.SQL("jsonb_build_object({})").format(sql.SQL(", ").join(pairs))

    history = FeatureHistory
    statements = []
    for event, (select, refs) in _HISTORY_BODIES.items():
        function = f"ioc_history_{event[0].lower()}__{table}"
        body = sql.SQL("INSERT INTO {history} ({columns}) " + select).format(
            history=sql.Identifier(history._meta.db_table),
            columns=sql.SQL(", ").join(sql.Identifier(history._meta.get_field(name).column)
                                       for name in HISTORY_COLUMNS),
            table=sql.Literal(table), geom=sql.Identifier(geometry), old=attrs("o"), new=attrs("n"))
        statements.append(sql.SQL("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql "
                                  "AS $$ BEGIN {}; RETURN NULL; END $$").format(
            sql.Identifier(function), body).as_string())
        statements.append(_trigger_sql(table, f"ioc_history_{event[0].lower()}", "AFTER", event, function,
                                       f"{refs} FOR EACH STATEMENT"))
    return statements


EVENTS_CHANNEL = "ioc_events"
EVENT_ROWS = 20  # the newest rows of a statement sent in full; the count tells how many there were
EVENT_LABEL_CHARS = 60
NOTIFY_LIMIT = 7900  # PostgreSQL refuses payloads of 8000 bytes or more (and with them, the INSERT)
LABEL_FIELDS = ("title", "name", "code")  # the first one a model has labels its events


def event_label_field(layer: Layer) -> str | None:
    """The field labelling an event of `layer` in the live feed: its title, name or code, if any."""
    names = {f.name for f in layer.model_class._meta.concrete_fields}
    return next((name for name in LABEL_FIELDS if name in names), None)


def _priority(layer: Layer, names: dict[str, str]) -> sql.Composable:
    """`, 'pin', value|null`: the priority value (e.g. critical) of a row the wall pins (Layer.priority),
    null for the others, for layers that declare a priority."""
    if layer.priority is None:
        return sql.SQL("")
    column = sql.Identifier("n", names[layer.priority.field])
    return sql.SQL(", 'pin', CASE WHEN {} = ANY({}) THEN {} END").format(
        column, sql.Literal(list(layer.priority.pinned)), column)


def _group(layer: Layer, names: dict[str, str], labelled: bool) -> sql.Composable:
    """`, 'group', id, 'group_label', name`: what the ticker counts the row under (Layer.ticker_group)."""
    if layer.ticker_group is None:
        return sql.SQL("")
    field = layer.model_class._meta.get_field(layer.ticker_group)
    target = field.related_model._meta
    group = sql.SQL(", 'group', n.{}").format(sql.Identifier(names[layer.ticker_group]))
    own = {f.name for f in target.concrete_fields}
    label_field = next((name for name in LABEL_FIELDS if name in own), None)
    if not labelled or label_field is None:
        return group
    label = sql.SQL(", 'group_label', (SELECT left(g.{}::text, {}) FROM {} g WHERE g.{} = n.{})")
    return group + label.format(
        sql.Identifier(target.get_field(label_field).column), sql.Literal(EVENT_LABEL_CHARS),
        sql.Identifier(target.db_table), sql.Identifier(target.pk.column),
        sql.Identifier(names[layer.ticker_group]))


def _event_features(layer: Layer, rows: int, labelled: bool = True) -> sql.Composable:
    """json array of the newest `rows` inserted rows of `layer`: id, lon, lat, time, value, label, and
    the responsible unit's id for a layer that names one (the live feed keeps unit staff to theirs);
    `pin` for a layer with a priority, `group` (and its label) for one the ticker counts."""
    model = layer.model_class
    names = {f.name: f.column for f in model._meta.concrete_fields}
    label_field = event_label_field(layer) if labelled else None
    label = names[label_field] if label_field else None
    time = sql.Identifier("n", names[layer.time_field])
    return sql.SQL(
        "(SELECT coalesce(json_agg(json_build_object('id', n.id, "
        "'lon', round(ST_X(n.{geom})::numeric, 6), 'lat', round(ST_Y(n.{geom})::numeric, 6), "
        "'time', {time}, 'value', {value}, 'label', {label}{unit}{pin}{group})), '[]') "
        "FROM (SELECT * FROM ioc_new n WHERE {filter} ORDER BY {order} DESC LIMIT {rows}) n)"
    ).format(
        geom=sql.Identifier(names[layer.geometry_field]), time=local_iso(time),
        value=sql.Identifier("n", names[layer.style.by]) if layer.style.by else sql.NULL,
        label=sql.SQL("left(n.{}::text, {})").format(sql.Identifier(label), sql.Literal(EVENT_LABEL_CHARS))
        if label else sql.NULL,
        unit=sql.SQL(", 'unit', n.{}").format(sql.Identifier(names[layer.unit_field])) if layer.unit_field
        else sql.SQL(""),
        pin=_priority(layer, names), group=_group(layer, names, labelled),
        filter=layer_filter(layer, "n"), order=time, rows=sql.Literal(rows))


def layer_filter(layer: Layer, alias: str) -> sql.Composable:
    """The layer's declared filter on rows `alias` (exact values from the registry, e.g. level =
    'commune'); TRUE when it has none."""
    fields = layer.model_class._meta
    terms = [sql.SQL("{} = {}").format(sql.Identifier(alias, fields.get_field(name).column),
                                       sql.Literal(value)) for name, value in layer.filter.items()]
    return sql.SQL(" AND ").join([sql.SQL("TRUE"), *terms])


def _events_blocks(layers: list[Layer]) -> sql.Composable:
    """plpgsql: one NOTIFY per event layer of a table for the rows of `ioc_new`: {"layer", "count",
    "features": [...newest 20]}; when that would reach PostgreSQL's payload limit, only the count and
    the 5 newest rows without labels are sent, so an insert never fails because of the live feed."""
    return sql.SQL(" ").join(sql.SQL(
        "inserted := (SELECT count(*) FROM ioc_new n WHERE {filter}); "
        "IF inserted > 0 THEN "
        "payload := json_build_object('layer', {layer}, 'count', inserted, 'features', {full})::text; "
        "IF octet_length(payload) > {limit} THEN "
        "payload := json_build_object('layer', {layer}, 'count', inserted, 'features', {short})::text; "
        "END IF; "
        "PERFORM pg_notify({channel}, payload); END IF;"
    ).format(filter=layer_filter(layer, "n"), layer=sql.Literal(layer.id),
             full=_event_features(layer, EVENT_ROWS), short=_event_features(layer, 5, labelled=False),
             limit=sql.Literal(NOTIFY_LIMIT), channel=sql.Literal(EVENTS_CHANNEL)) for layer in layers)


def _events_sql(table: str, layers: list[Layer]) -> list[str]:
    """The statement-level AFTER INSERT trigger `ioc_events` of one table and its function."""
    function = f"ioc_events__{table}"
    body = sql.SQL("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "DECLARE inserted bigint; payload text; BEGIN {} RETURN NULL; END $$").format(
        sql.Identifier(function), _events_blocks(layers))
    return [body.as_string(), _trigger_sql(table, "ioc_events", "AFTER", "INSERT", function,
                                           "REFERENCING NEW TABLE AS ioc_new FOR EACH STATEMENT")]


def announce_function(table: str) -> sql.Identifier:
    """The function that announces rows which reached `table` without an INSERT on it (a month of
    detections attached as a partition): see _announce_sql."""
    return sql.Identifier(f"ioc_announce__{table}")


def _announce_sql(table: str, layers: list[Layer]) -> str:
    """`ioc_announce__<table>()`: what the table's insert triggers do (tile notices, live-feed events),
    for the rows of a relation `ioc_new` the caller makes visible (a temporary view over the attached
    partition: PostgreSQL fires no trigger of the parent for an ATTACH PARTITION)."""
    return sql.SQL(
        "CREATE OR REPLACE FUNCTION {}() RETURNS void LANGUAGE plpgsql AS $$ "
        "DECLARE inserted bigint; payload text; BEGIN "
        "PERFORM ioc_notify_tiles({table}, (SELECT array_agg(geom) FROM ioc_new)); {events} END $$"
    ).format(announce_function(table), table=sql.Literal(table), events=_events_blocks(layers)).as_string()


TILE_TRIGGERS = (
    ("ioc_tiles_i", "INSERT", "REFERENCING NEW TABLE AS ioc_new", "ioc_tiles_new"),
    ("ioc_tiles_u", "UPDATE", "REFERENCING OLD TABLE AS ioc_old NEW TABLE AS ioc_new", "ioc_tiles_both"),
    ("ioc_tiles_d", "DELETE", "REFERENCING OLD TABLE AS ioc_old", "ioc_tiles_old"),
)


def hook_statements() -> list[str]:
    """Every statement that installs the triggers (and their per-table functions) the registry implies."""
    statements: list[str] = []
    seen: set[str] = set()
    for layer in registry:
        model = layer.model_class
        table = model._meta.db_table
        if table in seen:
            continue
        seen.add(table)
        statements.extend(
            _trigger_sql(table, name, "AFTER", event, function, f"{refs} FOR EACH STATEMENT")
            for name, event, refs, function in TILE_TRIGGERS
        )
        if events := [other for other in registry if other.table == table and other.is_event]:
            statements.extend(_events_sql(table, events))
        columns = [f.column for f in model._meta.concrete_fields]
        if not model._meta.managed:  # partitioned detections: tile notices and events only
            statements.append(_announce_sql(table, events))
            continue
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
