"""`GET /api/trend`: a layer's declared figures week by week, the trend lines of the KPI panel.

Parameters: `layer` (a layer id), `kpi` (one of its declared figures; none: every one the viewer may
see, and the count of features), `unit` (an id from /api/units; none: the whole city), `weeks` (1–52,
default 12) and `until` (a date, default today: its week is the last). A week is an ISO week, from
Monday 00:00 in Asia/Ho_Chi_Minh to the next Monday. Answer:

    {"layer": "citizen_reports", "unit": {...} | null,
     "weeks": [{"week": "2026-W48", "start": "2026-11-23", "end": "2026-11-29"}, ...],  # oldest first
     "kpis": [{"code", "vi", "en", "kind", "unit", "scale", "by"}, ...],
     "series": {"count": [n, ...], "<kpi code>": [value, ...], ...}}                   # one per week

Each weekly value is the figure /api/stats gives with that week as its window: the same SQL (the KPI
builders of web_map.stats) over the same area, and only figures the viewer may read (a layer it may not
read is 401/403; a figure over fields it may not read is left out; unit staff count their units'
features only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from psycopg import sql

from layers.registry import Kpi, Layer, registry
from spatial.access import Viewer
from spatial.errors import BadRequest, Forbidden
from spatial.params import LOCAL_TZ
from web_map.admin_units import Unit, unit_by_id
from web_map.area_sql import features_in_area, window_params, with_area
from web_map.metrics_api import readable
from web_map.stats import (  # the panel's own
    figure,
    kpi_sql,
    number,
    readable_kpis,
    shown_to,
    unit_limit,
    unit_params,
)

DEFAULT_WEEKS, MAX_WEEKS = 12, 52
COUNT = "count"  # the series of the number of features (the panel's counts[layer])


@dataclass(frozen=True)
class Week:
    """An ISO week: Monday 00:00 in Vietnam's time to the next Monday."""

    monday: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time.min, LOCAL_TZ)

    @property
    def last_moment(self) -> datetime:
        """The window's inclusive end, as /api/stats takes it: just before the next Monday."""
        return self.start + timedelta(days=7) - timedelta(microseconds=1)

    def as_json(self) -> dict[str, str]:
        year, number_, _day = self.monday.isocalendar()
        return {"week": f"{year}-W{number_:02d}", "start": self.monday.isoformat(),
                "end": (self.monday + timedelta(days=6)).isoformat()}


def weeks_until(until: date, count: int) -> list[Week]:
    """The `count` weeks ending with the one holding `until`, oldest first."""
    last = until - timedelta(days=until.isoweekday() - 1)
    return [Week(last - timedelta(weeks=back)) for back in range(count - 1, -1, -1)]


def kpi_json(kpi: Kpi) -> dict:
    """A figure's declaration as the map reads it (labels, kind, unit and scale of its values)."""
    return {"code": kpi.code, "vi": kpi.vi, "en": kpi.en, "kind": kpi.kind, "unit": kpi.unit,
            "scale": kpi.scale, "by": kpi.by}


def trend_kpis(viewer: Viewer, layer: Layer, code: str | None) -> list[Kpi]:
    """The layer's declared figures the viewer may see (only `code`, if given: 400 if the layer does
    not declare it, 403 if the viewer may not read its fields)."""
    seen = [kpi for owner, kpi in readable_kpis(viewer) if owner.id == layer.id]
    if code is None:
        return seen
    if code not in {kpi.code for kpi in layer.kpis}:
        known = ", ".join(kpi.code for kpi in layer.kpis) or "none"
        raise BadRequest(f"kpi: {code!r} không phải chỉ số của lớp / is not a figure of layer "
                         f"{layer.id!r} ({known})")
    chosen = [kpi for kpi in seen if kpi.code == code]
    if not chosen:
        raise Forbidden(f"kpi: «{code}» đọc những trường vai trò của bạn không được xem",
                        f"kpi: {code!r} reads fields your roles may not read")
    return chosen


def layer_trend(viewer: Viewer, layer: Layer, unit: Unit | None, weeks: list[Week],
                code: str | None = None) -> dict:
    """The answer of /api/trend (see the module's docstring)."""
    kpis, limit = trend_kpis(viewer, layer, code), unit_limit(layer, viewer)
    measures = {kpi.code: kpi_sql(layer, kpi, limit) for kpi in kpis}
    if code is None:
        count = features_in_area(layer, sql.SQL("count(*)"), where=limit)
        measures = {COUNT: sql.SQL("({})").format(count), **measures}
    select = sql.SQL(", ").join(sql.SQL("{} AS {}").format(expression, sql.Identifier(name))
                                for name, expression in measures.items())
    query = with_area(unit.id if unit else None, sql.SQL("SELECT {}").format(select))
    by_code = {kpi.code: kpi for kpi in kpis}
    series: dict[str, list] = {name: [] for name in measures}
    with connection.cursor() as cursor:
        text = query.as_string(cursor.connection)
        for week in weeks:
            params = {**window_params(week.start, week.last_moment), "unit": unit.id if unit else None,
                      "today": timezone.localdate(), **unit_params(viewer)}
            cursor.execute(text, params)
            for name, value in zip(measures, cursor.fetchone(), strict=True):
                value = json.loads(value) if isinstance(value, str) else value  # jsonb arrives as text
                kpi = by_code.get(name)
                series[name].append(number(value) if kpi is None else
                                    shown_to(viewer, layer, kpi, figure(layer, kpi, value)))
    return {"layer": layer.id, "unit": unit.as_json() if unit else None,
            "weeks": [week.as_json() for week in weeks], "kpis": [kpi_json(kpi) for kpi in kpis],
            "series": series}


def _weeks_param(text: str | None) -> int:
    try:
        count = int(text) if text else DEFAULT_WEEKS
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_WEEKS:
        raise BadRequest(f"weeks: {text!r} phải là số tuần từ 1 đến {MAX_WEEKS} / "
                         f"must be a number of weeks from 1 to {MAX_WEEKS}")
    return count


def _until_param(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"until: {text!r} không phải ngày / is not a date (YYYY-MM-DD)") from None


@require_GET
def trend(request: HttpRequest) -> JsonResponse:
    """?layer='s declared figures per week for ?unit= (or the city), the ?weeks= weeks up to ?until=."""
    args = request.GET
    if not args.get("layer"):
        raise BadRequest("layer: hãy chọn một lớp / name a layer (e.g. citizen_reports)")
    layer = readable(registry.get(args["layer"]), Viewer.of(request.user))
    weeks = weeks_until(_until_param(args.get("until")), _weeks_param(args.get("weeks")))
    unit = unit_by_id(args["unit"]) if args.get("unit") else None
    return JsonResponse(layer_trend(Viewer.of(request.user), layer, unit, weeks, args.get("kpi") or None))
