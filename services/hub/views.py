"""HTTP adapters of the indicator hub (mounted at /api/hub/; shapes in docs/indicators.md): the catalogue
and one indicator's figures for one unit over a run of periods."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from indicators import periods
from indicators.errors import BadParameter
from indicators.figures import series
from indicators.org_units import LEVEL_NAMES_VI, resolve, tree
from indicators.registry import registry
from spatial import language

MAX_PERIODS = 400  # one request's periods (400 months: over 33 years)



def _required(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if not value:
        raise BadParameter(f"{name}: thiếu tham số «{name}»", f"{name}: the parameter {name!r} is missing")
    return value


def _period(kind: str, name: str, text: str) -> periods.Period:
    try:
        return periods.parse(kind, text)
    except ValueError:
        raise BadParameter(
            f"{name}: «{text}» không phải một kỳ (ví dụ 2025, 2025-Q3, 2025-07, 2025-07-15)",
            f"{name}: {text!r} names no period (e.g. 2025, 2025-Q3, 2025-07, 2025-07-15)",
        ) from None


@require_GET
def indicators(request: HttpRequest) -> JsonResponse:
    """GET indicators: the catalogue, in the order declared."""
    lang = language.of(request)
    return JsonResponse({"indicators": [indicator.as_json(lang) for indicator in registry]})


@require_GET
def units(request: HttpRequest) -> JsonResponse:
    """GET units?on=YYYY-MM-DD: the organisation units in force that day (areas and agencies) with their
    parents' codes."""
    text = _required(request, "on")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            f"on: «{text}» không phải một ngày (YYYY-MM-DD)", f"on: {text!r} is no date (YYYY-MM-DD)"
        ) from None
    return JsonResponse({"on": day.isoformat(), "units": tree(day, language.of(request))})


@require_GET
def values(request: HttpRequest) -> JsonResponse:
    """GET values?indicator=&unit=&period=&from=&to=: one row per period (indicators.figures.series);
    `period` is the kind (the indicator's cadence by default), `to` defaults to `from`."""
    lang = language.of(request)
    indicator = registry.get(_required(request, "indicator"))
    kind = request.GET.get("period", "").strip() or indicator.cadence
    if kind not in periods.KINDS:
        raise BadParameter(
            f"period: «{kind}» không phải loại kỳ ({', '.join(periods.KINDS)})",
            f"period: {kind!r} is no period kind ({', '.join(periods.KINDS)})",
        )
    if not periods.is_finer_or_equal(indicator.cadence, kind):
        raise BadParameter(
            f"period: chỉ tiêu {indicator.code} báo cáo theo {periods.KIND_NAMES_VI[indicator.cadence]}, "
            f"không chia được theo {periods.KIND_NAMES_VI[kind]}",
            f"period: {indicator.code} is reported by {indicator.cadence}, it cannot be given by {kind}",
        )
    first = _period(kind, "from", _required(request, "from"))
    last = _period(kind, "to", request.GET.get("to", "").strip() or first.label)
    if last < first or len(periods.between(first, last)) > MAX_PERIODS:
        raise BadParameter(
            f"to: từ {first.label} đến {last.label} phải tăng dần và không quá {MAX_PERIODS} kỳ",
            f"to: {first.label} to {last.label} must run forward, at most {MAX_PERIODS} periods",
        )
    unit = resolve(_required(request, "unit"), last.end - timedelta(days=1))
    if unit.level not in indicator.levels:
        raise BadParameter(
            f"unit: chỉ tiêu {indicator.code} không áp dụng cho cấp {LEVEL_NAMES_VI[unit.level]} "
            f"({unit.name})",
            f"unit: {indicator.code} does not apply to the level {unit.level} ({unit.code})",
        )
    return JsonResponse(
        {
            "indicator": indicator.as_json(lang),
            "unit": unit.as_json(lang),
            "period": kind,
            "rows": series(indicator, unit, first, last),
        }
    )
