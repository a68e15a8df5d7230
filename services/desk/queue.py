"""The queue: filters read from the query string, the reports they select, and each as a row.

Parameters (all optional, combined with AND): `status` and `category` (comma-separated codes),
`unit` (a responsible unit's id, or `none` for the unassigned), `ward` (a commune's id, or a district's
or province's: the communes under it), `overdue` (1: late by the layer's declared Deadline), `datetime`
(an OGC interval on the time received), `q` (a tracking code, or words of the title or description),
`limit` (1–500, default 50) and `offset`, and `sort`: `newest` (the default: the latest received
first, as they arrive) or `due` (open ones first, the nearest deadline first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone

from layers.models import CitizenReport
from layers.registry import Layer
from layers.vocabularies import REPORT_CATEGORY, REPORT_CHANNEL, REPORT_STATUS
from spatial.errors import BadRequest
from spatial.params import datetime_interval, listed_codes, one_of, whole_parameter

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
SORTS = ("newest", "due")
TRUE, FALSE = ("1", "true", "yes"), ("", "0", "false", "no")


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    unit: int | None = None
    unassigned: bool = False
    ward: int | None = None
    overdue: bool = False
    start: datetime | None = None
    end: datetime | None = None
    text: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: str = SORTS[0]


def read_filters(args: QueryDict) -> Filters:
    """The filters of a query string (400 naming the parameter that is wrong)."""
    overdue = args.get("overdue", "").lower()
    if overdue not in TRUE + FALSE:
        raise BadRequest(f"overdue: {overdue!r} phải là 1 hoặc 0 / must be 1 or 0")
    unit_text, sort = args.get("unit", ""), one_of(args, "sort", SORTS)
    start, end = datetime_interval(args.get("datetime"))
    return Filters(
        statuses=listed_codes(args, "status", REPORT_STATUS.codes),
        categories=listed_codes(args, "category", REPORT_CATEGORY.codes),
        unit=None if unit_text in ("", "none") else whole_parameter(args, "unit", None),
        unassigned=unit_text == "none", ward=whole_parameter(args, "ward", None), overdue=overdue in TRUE,
        start=start, end=end, text=args.get("q", "").strip(),
        limit=whole_parameter(args, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        offset=whole_parameter(args, "offset", 0) or 0, sort=sort)


def late(layer: Layer) -> Q:
    """The layer's declared Deadline as a filter, now (layers.registry.Deadline.late)."""
    return layer.deadline.late(layer.workflow, timezone.now())


def _in_area(area: int) -> Q:
    return Q(ward_id=area) | Q(ward__parent_id=area) | Q(ward__parent__parent_id=area)


def select(reports: QuerySet[CitizenReport], layer: Layer, filters: Filters,
           *, with_status: bool = True) -> QuerySet[CitizenReport]:
    """The reports the filters keep (`with_status` False: every filter but the status one)."""
    if with_status and filters.statuses:
        reports = reports.filter(status__in=filters.statuses)
    if filters.categories:
        reports = reports.filter(category__in=filters.categories)
    if filters.unit is not None:
        reports = reports.filter(unit_id=filters.unit)
    if filters.unassigned:
        reports = reports.filter(unit__isnull=True)
    if filters.ward is not None:
        reports = reports.filter(_in_area(filters.ward))
    if filters.overdue:
        reports = reports.filter(late(layer))
    if filters.start:
        reports = reports.filter(received_at__gte=filters.start)
    if filters.end:
        reports = reports.filter(received_at__lte=filters.end)
    if filters.text:
        reports = reports.filter(Q(code__iexact=filters.text) | Q(title__icontains=filters.text)
                                 | Q(description__icontains=filters.text))
    return reports


def page(reports: QuerySet[CitizenReport], layer: Layer, filters: Filters) -> dict:
    """The queue's answer: how many match, how many in each status, and this page's rows."""
    chosen = select(reports, layer, filters)
    closed = Case(When(status__in=layer.workflow.closed, then=Value(1)), default=Value(0))
    order = (closed, "due_at", "pk") if filters.sort == "due" else ("-received_at", "-pk")
    rows = (chosen.select_related("unit", "ward", "likely_duplicate_of")
            .annotate(overdue=ExpressionWrapper(late(layer), output_field=BooleanField()))
            .order_by(*order)[filters.offset:filters.offset + filters.limit])
    by_status = dict(select(reports, layer, filters, with_status=False)
                     .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"total": chosen.count(),
            "counts": {status: by_status.get(status, 0) for status in REPORT_STATUS.codes},
            "statuses": [{"code": term.code, "vi": term.vi, "en": term.en, "color": term.color,
                          "count": by_status.get(term.code, 0)} for term in REPORT_STATUS.terms],
            "reports": [row(report) for report in rows]}


def _local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def row(report: CitizenReport) -> dict:
    """A report as one line of the queue."""
    category, status = REPORT_CATEGORY[report.category], REPORT_STATUS[report.status]
    return {
        "id": report.pk, "code": report.code, "version": report.version, "title": report.title,
        "category": {"code": category.code, "vi": category.vi, "en": category.en},
        "status": report.status, "status_vi": status.vi, "status_en": status.en, "color": status.color,
        "channel": report.channel, "channel_vi": REPORT_CHANNEL[report.channel].vi,
        "channel_en": REPORT_CHANNEL[report.channel].en,
        "unit": {"id": report.unit.pk, "name": report.unit.name} if report.unit else None,
        "ward": report.ward.name if report.ward else None,
        "received_at": _local(report.received_at), "due_at": _local(report.due_at),
        "resolved_at": _local(report.resolved_at), "overdue": bool(getattr(report, "overdue", False)),
        "likely_duplicate_of": (report.likely_duplicate_of.code if report.likely_duplicate_of else None),
        "lon": report.geom.x, "lat": report.geom.y,
    }
