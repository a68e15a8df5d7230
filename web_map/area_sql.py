"""SQL pieces of the map's figures: the area of a unit (or the city), membership and the time window.

Membership, the same rule for every level of both administrative trees: a point feature is in
the area if it intersects it; any other feature if its ST_PointOnSurface does (so a parcel on a
border counts once, in the unit holding most of it). ioc_commune_at (layers.communes), which gives
a feature its ward, places it by the same rule, except that a point exactly on the border of two
communes goes to one of them there and counts in both here; asking the area instead of each
feature's commune keeps the layer's spatial index (`&&`) and works for districts, provinces and the
city alike. Every query here reads the one-row CTE `area(geom)` made by `with_area`, and takes its
values as named parameters.
"""

from __future__ import annotations

from datetime import date, datetime

from psycopg import sql

from layers.db_hooks import layer_filter
from layers.identifiers import names
from layers.models import AdminUnit
from layers.registry import Layer
from spatial.params import LOCAL_TZ

# The whole city: the union of the communes in force today.
CITY_AREA = sql.SQL(
    "SELECT ST_Union({u.geom}) AS geom FROM {u} WHERE {u.level} = 'commune' "
    "AND {u.valid_from} <= %(today)s AND ({u.valid_to} IS NULL OR {u.valid_to} > %(today)s)"
)
UNIT_AREA = sql.SQL("SELECT {u.geom} AS geom FROM {u} WHERE {u.id} = %(unit)s")


def with_area(unit_id: int | None, body: sql.Composable) -> sql.Composable:
    """`body` preceded by the CTE `area(geom)`: unit `unit_id`, or the whole city when None.

    Parameters: %(unit)s or %(today)s (a local date).
    """
    area = (UNIT_AREA if unit_id is not None else CITY_AREA).format(**names(AdminUnit, "u"))
    return sql.SQL("WITH area AS MATERIALIZED ({}) {}").format(area, body)


def column(layer: Layer, field_name: str, alias: str = "f") -> sql.Composable:
    """The quoted column of `field_name` of `layer`'s model, e.g. "f"."ward_id"."""
    return sql.Identifier(alias, layer.model_class._meta.get_field(field_name).column)


def inside(layer: Layer, alias: str = "f") -> sql.Composable:
    """The membership rule for feature `alias` of `layer` (index-assisted by the && test)."""
    geom = column(layer, layer.geometry_field, alias)
    probe = geom if layer.geometry_type == "Point" else sql.SQL("ST_PointOnSurface({})").format(geom)
    return sql.SQL("{geom} && area.geom AND ST_Intersects({probe}, area.geom)").format(geom=geom, probe=probe)


def in_window(layer: Layer, alias: str = "f") -> sql.Composable:
    """Whether the feature's time lies in the window (TRUE for layers the time control does not narrow).

    Parameters: %(start)s, %(end)s (timestamps, NULL = open) and %(start_day)s, %(end_day)s
    (their local dates, for layers whose time is a date).
    """
    if not layer.in_time_window:
        return sql.SQL("TRUE")
    time = column(layer, layer.time_field, alias)
    if layer.model_class._meta.get_field(layer.time_field).get_internal_type() == "DateField":
        return sql.SQL("{t} >= coalesce(%(start_day)s::date, '-infinity') "
                       "AND {t} <= coalesce(%(end_day)s::date, 'infinity')").format(t=time)
    return sql.SQL("{t} >= coalesce(%(start)s::timestamptz, '-infinity') "
                   "AND {t} <= coalesce(%(end)s::timestamptz, 'infinity')").format(t=time)


def features_in_area(layer: Layer, select: sql.Composable, timed: bool = True,
                     where: sql.Composable | None = None) -> sql.Composable:
    """`SELECT {select} FROM <layer> f, area WHERE` the layer's filter, membership, the window (when
    `timed`) and `where`."""
    return sql.SQL("SELECT {select} FROM {table} f, area WHERE {filter} AND {inside} AND {window} "
                   "AND {where}").format(
        select=select, table=sql.Identifier(layer.table), filter=layer_filter(layer, "f"),
        inside=inside(layer),
        window=in_window(layer) if timed else sql.SQL("TRUE"), where=where or sql.SQL("TRUE"))


def window_params(start: datetime | None, end: datetime | None) -> dict[str, object]:
    """The named parameters `in_window` reads."""
    def day(moment: datetime | None) -> date | None:
        return moment.astimezone(LOCAL_TZ).date() if moment else None

    return {"start": start, "end": end, "start_day": day(start), "end_day": day(end)}
