"""The SQL of the map's search box: one statement for every layer a viewer may search.

Each searched field of a layer (its `Search` declaration) gives candidates `(id, kind, score,
matched)`, already narrowed to what the viewer may see (the layer's filter, the units unit staff are
limited to: web_map.stats.unit_limit) and to the chosen area (the KPI panel's membership rule:
web_map.area_sql.inside); the best hit per feature is kept, then the best of every layer, ranked:

- 1.0 the whole field, a whole code, or the sheet and parcel numbers; 0.9 the field's start;
  0.85 a code's start; 0.7 to 0.8 every word typed, in order (more as pg_trgm's word_similarity is
  higher); else, in fields that forgive slips (SearchField.fuzzy), up to 0.6 for words nearly typed
  (0.6 × word_similarity, above pg_trgm's threshold);
- then the kinds in the order of layers.search.SEARCH_KINDS, then features in force first (`current`).

Words are compared folded by ioc_fold (layers/sql/0014_search.sql), the same fold as spatial.text.fold,
through the trigram indexes of that migration. Named parameters: %(text)s, %(pattern)s, %(prefix)s,
%(code)s, %(code_prefix)s, %(sheet)s, %(parcel)s, %(rest)s, %(limit)s, %(kinds)s, %(unit)s and the
units_<layer> of web_map.stats.unit_params.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from psycopg import sql

from layers.db_hooks import layer_filter
from layers.models import AdminUnit
from layers.registry import Layer
from layers.search import SearchField
from spatial.access import Viewer
from web_map.area_sql import column, inside, with_area
from web_map.parcel_numbers import SheetParcel
from web_map.stats import unit_limit

WORDS_SCORE = ("CASE WHEN {e} = %(text)s THEN 1.0 WHEN {e} LIKE %(prefix)s THEN 0.9 "
               "WHEN {e} LIKE %(pattern)s THEN 0.7 + 0.1 * word_similarity(%(text)s, {e}) "
               "ELSE 0.6 * word_similarity(%(text)s, {e}) END")
WORDS_MATCH = "{e} LIKE %(pattern)s"
FUZZY_MATCH = "({e} LIKE %(pattern)s OR %(text)s <%% {e})"
# the folded text computed once per row for the score (OFFSET 0 keeps the planner from inlining it)
FOLDED_ONCE = " CROSS JOIN LATERAL (SELECT {folded} AS e OFFSET 0) x"
CODE_SCORE = "CASE WHEN {c} = %(code)s THEN 1.0 ELSE 0.85 END"
CODE_MATCH = "({c} = %(code)s OR {c} LIKE %(code_prefix)s)"
CANDIDATES = ("(SELECT {id}, %(kind_{n})s::text AS kind, ({score})::float AS score, "
              "{matched}::text AS matched FROM {source} WHERE {match} AND {visible} "
              "ORDER BY 3 DESC LIMIT %(limit)s)")
LAYER = """(SELECT %(layer_{n})s::text AS layer, f.id, h.kind, h.score, h.matched, {fields} AS fields,
        {ward} AS ward, {current} AS current,
        ST_XMin(f.{geom}), ST_YMin(f.{geom}), ST_XMax(f.{geom}), ST_YMax(f.{geom}),
        ST_X(ST_PointOnSurface(f.{geom})), ST_Y(ST_PointOnSurface(f.{geom}))
 FROM (SELECT DISTINCT ON (id) * FROM ({candidates}) c ORDER BY id, score DESC) h
 JOIN {table} f ON f.id = h.id {ward_join}
 ORDER BY h.score DESC, 8 DESC, f.id LIMIT %(limit)s)"""
RANKED = ("SELECT * FROM ({layers}) r ORDER BY score DESC, array_position(%(kinds)s::text[], kind), "
          "current DESC, layer, id LIMIT %(limit)s")


@dataclass(frozen=True)
class Terms:
    """What was typed, read for each way of matching."""

    text: str  # folded: 'dong tam'
    code: str  # upper case, no spaces: 'INC-20260905-001'
    numbers: SheetParcel | None  # 'tờ 1 thửa 9'
    unit_id: int | None  # the chosen area (an AdminUnit id), None: everywhere
    limit: int

    @property
    def has_code(self) -> bool:
        return len(self.code) >= 3

    def params(self) -> dict[str, object]:
        words = [_like(word) for word in self.text.split()]
        return {
            "text": self.text, "pattern": "%" + "%".join(words) + "%", "prefix": _like(self.text) + "%",
            "code": self.code, "code_prefix": _like(self.code) + "%", "limit": self.limit,
            "sheet": self.numbers.sheet if self.numbers else None,
            "parcel": self.numbers.parcel if self.numbers else None,
            "rest": "%" + _like(self.numbers.rest) + "%" if self.numbers else None,
            "unit": self.unit_id,
        }


def _like(text: str) -> str:
    """`text` matched literally by LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def target(layer: Layer, path: str) -> tuple[str, str]:
    """The table and column of a searched field: its layer's, or of the rows beside it
    ('owners__full_name' → ('layers_parcelowner', 'full_name'))."""
    model, name = layer.model_class, path
    if "__" in path:
        relation, name = path.split("__", 1)
        model = model._meta.get_field(relation).related_model
    return model._meta.db_table, model._meta.get_field(name).column


def may_search(viewer: Viewer, layer: Layer, field: SearchField) -> bool:
    """Whether `viewer` searches `layer` by `field` (a field beside the layer: only its roles)."""
    allowed = viewer.is_admin or bool(viewer.roles & set(field.roles))
    if field.related:
        return allowed
    return field.name in viewer.readable_fields(layer) and (allowed or not field.roles)


def _ward_field(layer: Layer) -> models.ForeignKey | None:
    """The public foreign key to the administrative units (a feature's ward; a ward's parent)."""
    for name in layer.public_fields:
        field = layer.model_class._meta.get_field(name)
        if field.many_to_one and field.related_model is AdminUnit:
            return field
    return None


def _visible(layer: Layer, viewer: Viewer, terms: Terms) -> sql.Composable:
    """What of the layer's features `f` the viewer may find: its filter, unit scope, the area."""
    conditions = [layer_filter(layer, "f")]
    if (limit := unit_limit(layer, viewer)) is not None:
        conditions.append(limit)
    if terms.unit_id is not None and layer.search.in_area:
        conditions.append(sql.SQL("EXISTS (SELECT 1 FROM area WHERE {})").format(inside(layer)))
    return sql.SQL(" AND ").join(conditions)


def _candidates(layer: Layer, viewer: Viewer, terms: Terms, n: int, kinds: dict) -> list[sql.Composable]:
    """One candidate query per field the viewer may search `layer` by (and its sheet/parcel numbers)."""
    search, table = layer.search, sql.Identifier(layer.table)
    visible, found = _visible(layer, viewer, terms), []

    def add(kind: str, source: sql.Composable, id_: sql.Composable, score: str, match: str,
            matched: sql.Composable, **columns: sql.Composable) -> None:
        key = f"{n}_{len(found)}"
        kinds[f"kind_{key}"] = kind
        scored = {**columns, "e": columns.get("once", columns.get("e"))}  # the score reads the fold once
        found.append(sql.SQL(CANDIDATES).format(
            id=id_, n=sql.SQL(key), score=sql.SQL(score).format(**scored), matched=matched, source=source,
            match=sql.SQL(match).format(**columns), visible=visible))

    own = sql.SQL("{} f").format(table)
    if search.sheet_parcel and terms.numbers:
        sheet, parcel = (column(layer, name) for name in search.sheet_parcel)
        match = "{sheet} = %(sheet)s AND {parcel} = %(parcel)s"
        if terms.numbers.rest and (ward := _ward_field(layer)):  # 'tờ 1 thửa 9 đồng tâm'
            match += (" AND EXISTS (SELECT 1 FROM {units} u WHERE u.id = {ward} "
                      "AND ioc_fold(u.{name}) LIKE %(rest)s)")
            add(search.kind, own, sql.SQL("f.id"), "1.0", match, sql.SQL("NULL"), sheet=sheet, parcel=parcel,
                units=sql.Identifier(AdminUnit._meta.db_table), ward=sql.Identifier("f", ward.column),
                name=sql.Identifier(AdminUnit._meta.get_field("name").column))
        else:
            add(search.kind, own, sql.SQL("f.id"), "1.0", match, sql.SQL("NULL"), sheet=sheet, parcel=parcel)
    for field in search.fields:
        if not may_search(viewer, layer, field):
            continue
        kind = field.kind or search.kind
        if field.match == "code":
            if terms.has_code:
                code = column(layer, field.name)
                add(kind, own, sql.SQL("f.id"), CODE_SCORE, CODE_MATCH, code, c=code)
            continue
        if field.related:
            relation = layer.model_class._meta.get_field(field.name.split("__", 1)[0])
            other, name = target(layer, field.name)
            source = sql.SQL("{other} o JOIN {table} f ON f.id = o.{key}").format(
                other=sql.Identifier(other), table=table, key=sql.Identifier(relation.field.column))
            value = sql.Identifier("o", name)
        else:
            source, value = own, column(layer, field.name)
        folded = sql.SQL("ioc_fold({})").format(value)
        add(kind, source + sql.SQL(FOLDED_ONCE).format(folded=folded), sql.SQL("f.id"), WORDS_SCORE,
            FUZZY_MATCH if field.fuzzy else WORDS_MATCH, value, e=folded, once=sql.SQL("x.e"))
    return found


def _layer_query(layer: Layer, viewer: Viewer, terms: Terms, n: int, params: dict) -> sql.Composable | None:
    """The best hits of one layer, with what their labels need, or None when nothing is searched."""
    candidates = _candidates(layer, viewer, terms, n, params)
    if not candidates:
        return None
    params[f"layer_{n}"] = layer.id
    search = layer.search
    fields = sql.SQL("jsonb_build_object({})").format(sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), column(layer, name)) for name in search.label_fields))
    ward = _ward_field(layer)
    units = sql.Identifier(AdminUnit._meta.db_table)
    name = sql.Identifier(AdminUnit._meta.get_field("name").column)
    return sql.SQL(LAYER).format(
        n=sql.SQL(str(n)), fields=fields, table=sql.Identifier(layer.table),
        geom=sql.Identifier(layer.model_class._meta.get_field(layer.geometry_field).column),
        candidates=sql.SQL(" UNION ALL ").join(candidates),
        ward=sql.SQL("w.{}").format(name) if ward else sql.SQL("NULL::text"),
        ward_join=sql.SQL("LEFT JOIN {} w ON w.id = f.{}").format(units, sql.Identifier(ward.column))
        if ward else sql.SQL(""),
        current=sql.SQL("({} IS NULL)").format(column(layer, search.current)) if search.current
        else sql.SQL("TRUE"))


def statement(layers: list[Layer], viewer: Viewer, terms: Terms) -> tuple[sql.Composable | None, dict]:
    """The ranked search over `layers` (those the viewer reads and that declare a search) and its
    parameters; None when there is nothing to look in."""
    params = terms.params()
    parts = [part for n, layer in enumerate(layers)
             if (part := _layer_query(layer, viewer, terms, n, params)) is not None]
    if not parts:
        return None, params
    body = sql.SQL(RANKED).format(layers=sql.SQL(" UNION ALL ").join(parts))
    return (with_area(terms.unit_id, body) if terms.unit_id is not None else body), params
