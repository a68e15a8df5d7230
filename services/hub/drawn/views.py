"""HTTP adapters of what the leaders' views draw (under /api/hub/; docs/indicators.md, "Views"): the
answers are indicators.drawn's, exactly what the map wall draws."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from indicators import drawn, periods
from indicators.classify import METHODS
from indicators.errors import BadParameter
from indicators.org_units import OrgUnit, resolve
from indicators.registry import registry
from services.hub.views import MAX_PERIODS
from spatial.language import of as language_of

DEFAULT_CLASSES = 5


def _required(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if not value:
        raise BadParameter(f"{name}: thiếu tham số «{name}»", f"{name}: the parameter {name!r} is missing")
    return value


def _classes(request: HttpRequest) -> int:
    text = request.GET.get("classes", "").strip() or str(DEFAULT_CLASSES)
    if not text.isdigit():
        raise BadParameter(f"classes: «{text}» không phải một số", f"classes: {text!r} is not a number")
    return int(text)


def _parent(request: HttpRequest, period: periods.Period) -> OrgUnit | None:
    code = request.GET.get("parent", "").strip()
    return resolve(code, period.end - timedelta(days=1)) if code else None


def _run(request: HttpRequest) -> tuple[periods.Period, periods.Period]:
    """from (a label, whose kind is the run's) and to (default: from)."""
    first = drawn.period_of(_required(request, "from"), "from")
    last_text = request.GET.get("to", "").strip()
    last = periods.parse(first.kind, last_text) if last_text else first
    if last < first or len(periods.between(first, last)) > MAX_PERIODS:
        raise BadParameter(
            f"to: từ {first.label} đến {last.label} phải tăng dần và không quá {MAX_PERIODS} kỳ",
            f"to: {first.label} to {last.label} must run forward, at most {MAX_PERIODS} periods",
        )
    return first, last


def _kind(request: HttpRequest, first: periods.Period, last: periods.Period):
    """`period` (a kind) re-reads from/to at that kind: from=2024&period=quarter is 2024-Q1 … ."""
    kind = request.GET.get("period", "").strip()
    if not kind or kind == first.kind:
        return first, last
    if kind not in periods.KINDS:
        raise BadParameter(
            f"period: «{kind}» không phải loại kỳ ({', '.join(periods.KINDS)})",
            f"period: {kind!r} is no period kind ({', '.join(periods.KINDS)})",
        )
    day = last.end - timedelta(days=1)
    return periods.Period.holding(kind, first.start), periods.Period.holding(kind, day)


@require_GET
def choropleth(request: HttpRequest) -> JsonResponse:
    """GET choropleth?indicator=&period=2025&level=commune&method=quantiles|jenks&classes=5&parent=
    &geometry=1: every unit's value, class and colour, the classes' bounds, and the shapes."""
    language = language_of(request)
    indicator = registry.get(_required(request, "indicator"))
    period = drawn.period_of(_required(request, "period"))
    method = request.GET.get("method", "").strip() or METHODS[0]
    answer = drawn.choropleth(
        indicator,
        period,
        request.GET.get("level", "").strip() or "commune",
        method,
        _classes(request),
        _parent(request, period),
        language,
        geometry=request.GET.get("geometry") in ("1", "true"),
    )
    return JsonResponse(answer)


@require_GET
def ranking(request: HttpRequest) -> JsonResponse:
    """GET ranking?indicator=&period=2025&level=commune&by=value|pct_of_plan&parent="""
    indicator = registry.get(_required(request, "indicator"))
    period = drawn.period_of(_required(request, "period"))
    answer = drawn.ranking(
        indicator,
        period,
        request.GET.get("level", "").strip() or "commune",
        request.GET.get("by", "").strip() or "value",
        _parent(request, period),
        language_of(request),
    )
    return JsonResponse(answer)


@require_GET
def trend(request: HttpRequest) -> JsonResponse:
    """GET trend?indicator=&unit=&from=&to=&period=: the unit's actual and target per period, and the axis."""
    language = language_of(request)
    indicator = registry.get(_required(request, "indicator"))
    first, last = _kind(request, *_run(request))
    unit = resolve(_required(request, "unit"), last.end - timedelta(days=1))
    return JsonResponse(
        {
            "indicator": indicator.as_json(language),
            "unit": unit.as_json(language),
            "period": first.kind,
            **drawn.trend(indicator, unit, first, last),
        }
    )


@require_GET
def compare(request: HttpRequest) -> JsonResponse:
    """GET compare?indicator=&units=A,B&from=&to=&period=: two units' values, targets and difference."""
    language = language_of(request)
    indicator = registry.get(_required(request, "indicator"))
    first, last = _kind(request, *_run(request))
    codes = [code.strip() for code in _required(request, "units").split(",") if code.strip()]
    if len(codes) != 2:
        raise BadParameter(
            "units: cần đúng hai đơn vị, cách nhau bằng dấu phẩy (ví dụ 04300,04306)",
            "units: two units are compared, separated by a comma (e.g. 04300,04306)",
        )
    units = [resolve(code, last.end - timedelta(days=1)) for code in codes]
    return JsonResponse(
        {
            "indicator": indicator.as_json(language),
            "units": [unit.as_json(language) for unit in units],
            "period": first.kind,
            **drawn.compare(indicator, units, first, last),
        }
    )
