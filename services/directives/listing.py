"""The list of directives: filters read from the query string, the directives they select, each as a row
(JSON, or a GeoJSON feature for the map).

Parameters (all optional, combined with AND): `status` and `priority` (comma-separated codes), `unit` (a
responsible unit's id), `ward` (a commune's id, or a district's or province's: the communes under it),
`overdue` (1: late by the layer's declared Deadline, the rule of the map's rings and the KPI panel),
`datetime` (an OGC interval on the time issued), `batch` (a batch reference), `q` (a code, or words of the
subject or text), `limit` (1–500, default 50) and `offset`, `sort`: `newest` (the default: the latest
issued first) or `due` (open ones first, the nearest deadline first), and `f`: `json` (the default) or
`geojson` (a FeatureCollection of the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone

from directives.models import Directive
from directives.vocabularies import DIRECTIVE_PRIORITY, DIRECTIVE_STATUS
from layers.registry import Layer
from layers.vocabularies import Vocabulary
from services.desk.queue import late
from spatial.errors import BadRequest
from spatial.params import datetime_interval, listed_codes, one_of, whole_parameter

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
SORTS, FORMATS = ("newest", "due"), ("json", "geojson")
TRUE, FALSE = ("1", "true", "yes"), ("", "0", "false", "no")


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    unit: int | None = None
    ward: int | None = None
    overdue: bool = False
    start: datetime | None = None
    end: datetime | None = None
    batch: str = ""
    text: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: str = SORTS[0]
    format: str = FORMATS[0]


def read_filters(args: QueryDict) -> Filters:
    """The filters of a query string (400 naming the parameter that is wrong)."""
    overdue = args.get("overdue", "").lower()
    if overdue not in TRUE + FALSE:
        raise BadRequest(f"overdue: {overdue!r} phải là 1 hoặc 0 / must be 1 or 0")
    start, end = datetime_interval(args.get("datetime"))
    return Filters(
        statuses=listed_codes(args, "status", DIRECTIVE_STATUS.codes),
        priorities=listed_codes(args, "priority", DIRECTIVE_PRIORITY.codes),
        unit=whole_parameter(args, "unit", None), ward=whole_parameter(args, "ward", None),
        overdue=overdue in TRUE, start=start, end=end, batch=args.get("batch", "").strip(),
        text=args.get("q", "").strip(), limit=whole_parameter(args, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        offset=whole_parameter(args, "offset", 0) or 0,
        sort=one_of(args, "sort", SORTS), format=one_of(args, "f", FORMATS))


def in_area(area: int) -> Q:
    """The directives in commune `area`, or in the communes under district or province `area`."""
    return Q(ward_id=area) | Q(ward__parent_id=area) | Q(ward__parent__parent_id=area)


def select(directives: QuerySet[Directive], layer: Layer, filters: Filters,
           *, with_status: bool = True) -> QuerySet[Directive]:
    """The directives the filters keep (`with_status` False: every filter but the status one)."""
    conditions = {
        "status__in": filters.statuses if with_status else (), "priority__in": filters.priorities,
        "unit_id": filters.unit, "issued_at__gte": filters.start, "issued_at__lte": filters.end,
        "batch": filters.batch,
    }
    directives = directives.filter(**{key: value for key, value in conditions.items() if value})
    if filters.ward is not None:
        directives = directives.filter(in_area(filters.ward))
    if filters.overdue:
        directives = directives.filter(late(layer))
    if filters.text:
        directives = directives.filter(Q(code__iexact=filters.text) | Q(batch__iexact=filters.text)
                                       | Q(title__icontains=filters.text) | Q(text__icontains=filters.text))
    return directives


def with_overdue(directives: QuerySet[Directive], layer: Layer) -> QuerySet[Directive]:
    """The directives with what a row shows: their unit, ward, links, and `overdue` by the Deadline rule."""
    return (directives.select_related("unit", "ward", "issued_by", "incident", "report")
            .annotate(overdue=ExpressionWrapper(late(layer), output_field=BooleanField())))


def page(directives: QuerySet[Directive], layer: Layer, filters: Filters) -> dict:
    """The list's answer: how many match, how many in each status, and this page's rows (or features)."""
    chosen = select(directives, layer, filters)
    closed = Case(When(status__in=layer.workflow.closed, then=Value(1)), default=Value(0))
    order = (closed, "due_at", "pk") if filters.sort == "due" else ("-issued_at", "-pk")
    rows = [row(directive) for directive in
            with_overdue(chosen, layer).order_by(*order)[filters.offset:filters.offset + filters.limit]]
    by_status = dict(select(directives, layer, filters, with_status=False)
                     .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts = {"total": chosen.count(), "limit": filters.limit, "offset": filters.offset,
              "counts": {status: by_status.get(status, 0) for status in DIRECTIVE_STATUS.codes},
              "statuses": [{"code": term.code, "vi": term.vi, "en": term.en, "color": term.color,
                            "count": by_status.get(term.code, 0)} for term in DIRECTIVE_STATUS.terms]}
    if filters.format == "geojson":
        return {"type": "FeatureCollection", **counts, "features": [feature(r) for r in rows]}
    return {**counts, "directives": rows}


def local(moment: datetime | None) -> str | None:
    """A moment as the API gives it: ISO 8601 in Vietnam's time, to the second."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def person(user: object) -> dict | None:
    """Who did something: the account name and the person's name."""
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def _term(vocabulary: Vocabulary, code: str) -> dict:
    term = vocabulary[code]
    return {"code": term.code, "vi": term.vi, "en": term.en, "color": term.color}


def _linked(feature: object) -> dict | None:
    return {"id": feature.pk, "code": feature.code, "title": feature.title} if feature is not None else None


def row(directive: Directive) -> dict:
    """A directive as one line of the list (and one point of the map)."""
    status, unit = DIRECTIVE_STATUS[directive.status], directive.unit
    return {
        "id": directive.pk, "code": directive.code, "batch": directive.batch, "version": directive.version,
        "title": directive.title, "text": directive.text,
        "priority": _term(DIRECTIVE_PRIORITY, directive.priority),
        "status": directive.status, "status_vi": status.vi, "status_en": status.en, "color": status.color,
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name, "name_en": unit.name_en or unit.name},
        "ward": {"id": directive.ward_id, "name": directive.ward.name} if directive.ward_id else None,
        "issued_by": person(directive.issued_by), "issued_at": local(directive.issued_at),
        "due_at": local(directive.due_at), "acknowledged_at": local(directive.acknowledged_at),
        "done_at": local(directive.done_at), "escalated_at": local(directive.escalated_at),
        "overdue": bool(getattr(directive, "overdue", False)),
        "links": {"incident": _linked(directive.incident), "report": _linked(directive.report),
                  "alert": directive.alert_id},
        "lon": round(directive.geom.x, 7), "lat": round(directive.geom.y, 7),
    }


def feature(line: dict) -> dict:
    """A row as a GeoJSON feature (its point as geometry, the rest as properties)."""
    properties = {key: value for key, value in line.items() if key not in ("lon", "lat")}
    point = {"type": "Point", "coordinates": [line["lon"], line["lat"]]}
    return {"type": "Feature", "id": line["id"], "geometry": point, "properties": properties}
