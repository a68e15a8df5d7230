"""HTTP adapters of data entry and completeness (mounted under /api/hub/, shapes in docs/indicators.md):
completeness of an indicator's period as JSON and as map data, a unit's report of a period (its figures,
status and history), and its XLSX template and upload."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from indicators import entry, workbook
from indicators.completeness import Owed, completeness, counts, due_at, form_completeness
from indicators.errors import BadParameter
from indicators.org_units import OrgUnit, resolve
from indicators.periods import Period
from indicators.registry import CADENCES, LEVELS, Indicator, registry
from services.editing.csrf import enforce_csrf
from services.hub.views import _period, _required
from spatial.access import Viewer
from spatial.language import of as language_of

SIMPLIFY_DEGREES = 0.0002  # about 20 m: enough for a choropleth of communes


def signed_in(request: HttpRequest) -> Viewer:
    """The viewer; 401 for no one signed in."""
    return Viewer.signed_in(request.user, "để xem tình hình báo cáo", "to see who has reported")


@dataclass(frozen=True)
class Asked:
    """A completeness question: one indicator (`indicator`) or the reports of a cadence (`dataset`), a
    period, optionally one level; `rows` the answer and `due` when its figures were due (a data set:
    the latest of its figures' due times)."""

    indicator: Indicator | None
    dataset: str | None
    period: Period
    rows: list[Owed]
    due: datetime | None

    def title(self, language: str) -> str:
        if self.indicator is not None:
            return self.indicator.name(language)
        vi, en = DATASET_NAMES[self.dataset]
        return en if language == "en" else vi

    def head(self, language: str) -> dict:
        return {
            "indicator": self.indicator.as_json(language) if self.indicator else None,
            "dataset": self.dataset,
            "title": self.title(language),
            "period": self.period.label,
            "due": self.due.isoformat() if self.due else None,
        }


DATASET_NAMES = {
    "day": ("Báo cáo ngày", "Daily report"),
    "week": ("Báo cáo tuần", "Weekly report"),
    "month": ("Báo cáo tháng", "Monthly report"),
    "quarter": ("Báo cáo quý", "Quarterly report"),
    "year": ("Báo cáo năm", "Yearly report"),
}


def asked(request: HttpRequest) -> Asked:
    """?indicator=<code> or ?dataset=<cadence> (every figure of that cadence), &period=<label>, and
    optionally &level=<province|district|commune|agency>."""
    dataset = request.GET.get("dataset", "").strip()
    if dataset:
        if dataset not in CADENCES:
            raise BadParameter(
                f"dataset: «{dataset}» không phải chu kỳ báo cáo ({', '.join(CADENCES)})",
                f"dataset: {dataset!r} is no reporting cadence ({', '.join(CADENCES)})",
            )
        period = _period(dataset, "period", _required(request, "period"))
        members = [indicator for indicator in registry if indicator.cadence == dataset]
        rows = form_completeness(dataset, period, members)
        due = max((due_at(indicator, period) for indicator in members), default=None)
        found = Asked(None, dataset, period, rows, due)
    else:
        indicator = registry.get(_required(request, "indicator"))
        period = _period(indicator.cadence, "period", _required(request, "period"))
        found = Asked(indicator, None, period, completeness(indicator, period), due_at(indicator, period))
    level = request.GET.get("level", "").strip()
    if not level:
        return found
    if level not in LEVELS:
        raise BadParameter(
            f"level: «{level}» không phải cấp đơn vị ({', '.join(LEVELS)})",
            f"level: {level!r} is no unit level ({', '.join(LEVELS)})",
        )
    return replace(found, rows=[row for row in found.rows if row.unit.level == level])


def unit_and_period(unit: str, period: str) -> tuple[OrgUnit, Period]:
    """The unit of that code on the period's last day, and the period a label names."""
    found = entry.period_of(period)
    return resolve(unit, found.end - timedelta(days=1)), found


@require_GET
def completeness_view(request: HttpRequest) -> JsonResponse:
    """GET completeness?indicator=|dataset=&period=[&level=]: each owing unit's state (on_time, late,
    missing) and the counts."""
    signed_in(request)
    found, language = asked(request), language_of(request)
    return JsonResponse(
        {
            **found.head(language),
            "counts": counts(found.rows),
            "units": [row.as_json(language) for row in found.rows],
        }
    )


@require_GET
def completeness_map(request: HttpRequest) -> JsonResponse:
    """GET completeness/map?…: the same as GeoJSON: areas with their shapes, agencies at their seat (a
    point on their shape) when they have one, else without geometry (listed)."""
    signed_in(request)
    found, language = asked(request), language_of(request)
    features = []
    for row in found.rows:
        geom = row.geom
        if geom is not None:
            geom = (
                geom.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
                if row.unit.kind == "area"
                else geom.point_on_surface
            )
        features.append(
            {
                "type": "Feature",
                "id": f"{row.unit.kind}:{row.unit.code}",
                "geometry": None if geom is None else _geojson(geom),
                "properties": row.as_json(language),
            }
        )
    return JsonResponse({"type": "FeatureCollection", **found.head(language), "features": features})


def _json_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise BadParameter("body: hãy gửi một đối tượng JSON", "body: send a JSON object")
    return body


def _geojson(geom) -> dict:
    return json.loads(geom.json)


@csrf_exempt  # a POST checks CSRF itself (enforce_csrf: a browser sends the token, HTTP Basic need not)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, unit: str, period: str) -> JsonResponse:
    """GET reports/<unit>/<period>: the unit's figures of the period, the report's status and history.
    POST {"action": "save" | "submit" | "approve" | "return", "values": {code: value}, "confirm": bool,
    "comment": ""}: the same as the form (indicators.entry.act), then the same answer."""
    found, asked_period = unit_and_period(unit, period)
    viewer = Viewer.of(request.user)
    if request.method == "POST":
        enforce_csrf(request)
        body = _json_body(request)
        values = body.get("values") or {}
        if not isinstance(values, dict):
            raise BadParameter(
                "values: hãy gửi {mã chỉ tiêu: số liệu}", "values: send {indicator code: value}"
            )
        typed = {str(code): (raw, f"values.{code}") for code, raw in values.items()}
        entry.act(
            found,
            asked_period,
            str(body.get("action", "save")),
            viewer=viewer,
            by=request.user,
            typed=typed,
            confirm=body.get("confirm") is True,
            comment=str(body.get("comment") or ""),
            source="api",
        )
    entry.check_may_read(viewer, found)
    language = language_of(request)
    current = entry.report_of(found, asked_period)
    return JsonResponse(
        {
            "unit": found.as_json(language),
            "period": asked_period.label,
            "status": current.status if current else "new",
            "rows": [
                {
                    "indicator": row.indicator.code,
                    "name": row.indicator.name(language),
                    "value": row.value,
                    "status": row.status,
                    "previous": row.previous,
                    "target": row.target,
                }
                for row in entry.rows(found, asked_period)
            ],
            "history": entry.history(current),
        }
    )


@csrf_exempt  # GET reads; a POST checks CSRF itself (a browser's upload carries the token)
@require_http_methods(["GET", "POST"])
def report_xlsx(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    """GET reports/<unit>/<period>/xlsx: the template; POST (multipart, `file`): the filled template,
    saved as the unit's draft through the same checks as the form (?confirm=1 accepts the jumps)."""
    found, asked_period = unit_and_period(unit, period)
    viewer = Viewer.of(request.user)
    if request.method == "GET":
        entry.check_may_read(viewer, found)
        rows = entry.rows(found, asked_period)
        content = workbook.template(found, asked_period, rows, language_of(request))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="bao-cao-{found.code}-{asked_period.label}.xlsx"'
        )
        return response
    enforce_csrf(request)
    entry.check_may_enter(viewer, found)
    saved = upload(request, found, asked_period)
    return JsonResponse(
        {
            "status": saved.status,
            "values": entry.counted(found, asked_period),
            "rows": len(entry.rows(found, asked_period)),
        }
    )


def upload(request: HttpRequest, unit: OrgUnit, period: Period):
    """Save the uploaded XLSX of `request` (field `file`) as the unit's draft."""
    sent = request.FILES.get("file")
    if sent is None:
        raise BadParameter("file: hãy chọn tệp XLSX đã điền", "file: choose the filled XLSX file")
    typed = workbook.read(sent, unit, period)
    confirm = request.POST.get("confirm") == "1" or request.GET.get("confirm") == "1"
    return entry.enter(unit, period, typed, by=request.user, source="xlsx", confirm=confirm)
