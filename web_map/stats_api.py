"""`GET /api/stats`: the KPI panel of a unit for a time window (the drill-down's figures).

Parameters (all optional): `unit` (an id from /api/units; none = the whole city), `datetime`
(an OGC interval, e.g. 2026-11-01/2026-11-24; default the last 30 days), `indicator` (a metric of
the ward layer) and `month` (YYYY-MM; default the last month with data). Answer:
`{"unit", "window": {"start", "end"}, "counts": {layer: n}, "reports_overdue", "incidents_by_severity",
"detections_by_class", "parcel_area_by_land_use": [...], "indicator": {...}, "lodging_guests"}`,
leaving out what the viewer may not read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from spatial.access import Viewer
from spatial.params import LOCAL_TZ, datetime_interval
from web_map.admin_units import unit_by_id
from web_map.observations import metric_of, month_bounds
from web_map.stats import Request, unit_stats, ward_layer

DEFAULT_WINDOW = timedelta(days=30)


def window(text: str | None) -> tuple[datetime | None, datetime | None]:
    """The `datetime` parameter as (start, end); absent: the last 30 days up to now."""
    if not text:
        now = timezone.now()
        return now - DEFAULT_WINDOW, now
    return datetime_interval(text)


def local_iso(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 in Vietnam's time (None for an open end)."""
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if moment else None


@require_GET
def stats(request: HttpRequest) -> JsonResponse:
    """The KPI panel of ?unit= (or the city) for ?datetime=, with ?indicator= for ?month=."""
    args = request.GET
    unit = unit_by_id(args["unit"]) if args.get("unit") else None
    start, end = window(args.get("datetime"))
    indicator = metric_of(ward_layer(), args["indicator"]) if args.get("indicator") else None
    month = args.get("month") or None
    if month:
        month_bounds(month)  # validated before any query
    panel = unit_stats(Request(Viewer.of(request.user), unit, start, end, indicator, month))
    return JsonResponse({"unit": unit.as_json() if unit else None,
                         "window": {"start": local_iso(start), "end": local_iso(end)}, **panel})
