"""HTTP adapters of data entry and completeness (mounted under /api/hub/, shapes in docs/indicators.md):
completeness of an indicator's period as JSON and as map data, a unit's report of a period (its figures,
status and history), and its XLSX template and upload."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from indicators import entry, workbook
from indicators.completeness import completeness, counts, due_at
from indicators.errors import BadParameter
from indicators.org_units import OrgUnit, resolve
from indicators.periods import Period
from indicators.registry import Indicator, registry
from services.editing.csrf import enforce_csrf
from services.hub.views import _period, _required
from spatial.access import Viewer


def _language(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "vi"


SIMPLIFY_DEGREES = 0.0002  # about 20 m: enough for a choropleth of communes


def signed_in(request: HttpRequest) -> Viewer:
    """The viewer; 401 for no one signed in."""
    return Viewer.signed_in(request.user, "để xem tình hình báo cáo", "to see who has reported")


def asked(request: HttpRequest) -> tuple[Indicator, Period]:
    """The indicator and its period named by ?indicator=&period= (a label of the indicator's cadence)."""
    indicator = registry.get(_required(request, "indicator"))
    return indicator, _period(indicator.cadence, "period", _required(request, "period"))


def unit_and_period(unit: str, period: str) -> tuple[OrgUnit, Period]:
    """The unit of that code on the period's last day, and the period a label names."""
    found = entry.period_of(period)
    return resolve(unit, found.end - timedelta(days=1)), found


def completeness_document(indicator: Indicator, period: Period, language: str) -> dict:
    """The completeness answer: due time, counts by state, each owing unit's state."""
    rows = completeness(indicator, period)
    return {
        "indicator": indicator.as_json(language),
        "period": period.label,
        "due": due_at(indicator, period).isoformat(),
        "counts": counts(rows),
        "units": [row.as_json(language) for row in rows],
    }


@require_GET
def completeness_view(request: HttpRequest) -> JsonResponse:
    """GET completeness?indicator=&period=: each owing unit's state (on_time, late, missing)."""
    signed_in(request)
    indicator, period = asked(request)
    return JsonResponse(completeness_document(indicator, period, _language(request)))


@require_GET
def completeness_map(request: HttpRequest) -> JsonResponse:
    """GET completeness/map?indicator=&period=: the same as GeoJSON: areas with their shapes, agencies at
    their seat (a point on their shape) when they have one, else without geometry (listed)."""
    signed_in(request)
    indicator, period = asked(request)
    language = _language(request)
    features = []
    for row in completeness(indicator, period):
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
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "indicator": indicator.code,
            "period": period.label,
            "features": features,
        }
    )


def _geojson(geom) -> dict:
    import json

    return json.loads(geom.json)


@require_GET
def report(request: HttpRequest, unit: str, period: str) -> JsonResponse:
    """GET reports/<unit>/<period>: the unit's figures of the period, the report's status and history."""
    found, asked_period = unit_and_period(unit, period)
    entry.check_may_read(Viewer.of(request.user), found)
    language = _language(request)
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
        content = workbook.template(found, asked_period, entry.rows(found, asked_period), _language(request))
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
