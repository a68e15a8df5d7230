"""What the leaders' views draw, as data: an indicator's choropleth (every unit of a level for one period,
in classes with bounds and colours), the ranking of those units, one unit's trend with its targets, and
two units compared. The figures are indicators.figures.series's; services.hub.drawn serves them as they
are and the map wall draws them without computing anything of its own.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import date, timedelta

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Q

from indicators import periods
from indicators.classify import classify, rank
from indicators.errors import BadParameter
from indicators.figures import series, series_many
from indicators.models import AgencyPlacement
from indicators.org_units import LEVEL_NAMES_VI, OrgUnit
from indicators.registry import Indicator
from layers.models import AdminUnit

logger = logging.getLogger(__name__)
GEOJSON_DECIMALS = 5  # about a metre: enough for a choropleth
RANK_BY = ("value", "pct_of_plan")


def period_of(text: str, name: str = "period") -> periods.Period:
    """The period a label names, its kind read from the label: '2025' a year, '2025-Q3' a quarter,
    '2025-07' a month, '2025-W27' a week, '2025-07-15' a day."""
    found = periods.LABEL.match(text.strip())
    if found is None:
        raise BadParameter(
            f"{name}: «{text}» không phải một kỳ (ví dụ 2025, 2025-Q3, 2025-07)",
            f"{name}: {text!r} names no period (e.g. 2025, 2025-Q3, 2025-07)",
        )
    kind = (
        "quarter"
        if found["quarter"]
        else "week"
        if found["week"]
        else "day"
        if found["day"]
        else "month"
        if found["month"]
        else "year"
    )
    return periods.parse(kind, text)


def check_period(indicator: Indicator, kind: str) -> None:
    """400 unless the indicator's cadence fits into `kind` periods."""
    if not periods.is_finer_or_equal(indicator.cadence, kind):
        raise BadParameter(
            f"period: chỉ tiêu {indicator.code} báo cáo theo {periods.KIND_NAMES_VI[indicator.cadence]}, "
            f"không chia được theo {periods.KIND_NAMES_VI[kind]}",
            f"period: {indicator.code} is reported by {indicator.cadence}, it cannot be given by {kind}",
        )


def check_level(indicator: Indicator, level: str, name: str = "level") -> None:
    """400 unless the indicator applies to `level`; `name` is the parameter blamed."""
    if level not in indicator.levels:
        raise BadParameter(
            f"{name}: chỉ tiêu {indicator.code} không áp dụng cho cấp {LEVEL_NAMES_VI.get(level, level)}",
            f"{name}: {indicator.code} does not apply to the level {level!r} "
            f"(it applies to {', '.join(indicator.levels)})",
        )


def units_of(level: str, day: date, parent: OrgUnit | None = None) -> list[OrgUnit]:
    """The units of `level` in force on `day` (under `parent` when given, at any depth), by code."""
    if level == "agency":
        placed = AgencyPlacement.objects.filter(
            Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        ).select_related("agency")
        if parent is not None:
            placed = placed.filter(parent_id=parent.area_id)
        found = {p.agency.pk: OrgUnit.of_agency(p.agency) for p in placed}
        return sorted(found.values(), key=lambda unit: unit.code)
    areas = list(AdminUnit.objects.valid_on(day).defer("geom").order_by("code"))
    parents = {area.pk: area.parent_id for area in areas}

    def under(area_id: int | None) -> bool:
        while area_id is not None:
            area_id = parents.get(area_id)
            if area_id == parent.area_id:
                return True
        return False

    return [
        OrgUnit.of_area(area) for area in areas if area.level == level and (parent is None or under(area.pk))
    ]


def _figure(unit: OrgUnit, row: dict, language: str) -> dict:
    return {
        "code": unit.code,
        "name": unit.as_json(language)["name"],
        "value": row["actual"],
        "target": row["target"],
        "pct_of_plan": row["pct_of_plan"],
        "last_year": row["last_year"],
    }


def cross_section(
    indicator: Indicator, period: periods.Period, level: str, parent: OrgUnit | None, language: str = "vi"
) -> tuple[list[OrgUnit], list[dict]]:
    """The units of `level` in force on the period's last day and each one's figure for the period."""
    check_period(indicator, period.kind)
    check_level(indicator, level)
    units = units_of(level, period.end - timedelta(days=1), parent)
    found = series_many(indicator, units, period, period)  # two statements for all the units
    return units, [_figure(unit, rows[0], language) for unit, rows in zip(units, found, strict=True)]


def _shapes(units: list[OrgUnit], rows: list[dict]) -> dict:
    """A GeoJSON FeatureCollection of the area units with what is drawn as their properties."""
    geometry = dict(
        AdminUnit.objects.filter(pk__in=[u.area_id for u in units if u.area_id])
        .annotate(shape=AsGeoJSON("geom", precision=GEOJSON_DECIMALS))
        .values_list("pk", "shape")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": unit.id, "geometry": json.loads(geometry[unit.id]), "properties": row}
            for unit, row in zip(units, rows, strict=True)
            if unit.id in geometry
        ],
    }


def choropleth(
    indicator: Indicator,
    period: periods.Period,
    level: str,
    method: str,
    classes: int,
    parent: OrgUnit | None = None,
    language: str = "vi",
    geometry: bool = False,
) -> dict:
    """Every unit of the level with its value, class and colour; the classes with their bounds and counts
    (a legend); with `geometry`, the area units' shapes as GeoJSON carrying the same properties."""
    units, rows = cross_section(indicator, period, level, parent, language)
    bounds, of = classify([row["value"] for row in rows], classes, method, indicator.direction)
    for row in rows:
        index = of(row["value"])
        row["class"] = index
        row["color"] = None if index is None else bounds[index]["color"]
    answer = {
        "indicator": indicator.as_json(language),
        "period": _period_json(period),
        "level": level,
        "method": method,
        "classes": bounds,
        "units": rows,
    }
    if geometry:
        answer["features"] = _shapes(units, rows)
    return answer


def ranking(
    indicator: Indicator,
    period: periods.Period,
    level: str,
    by: str = "value",
    parent: OrgUnit | None = None,
    language: str = "vi",
) -> dict:
    """The units of the level ranked best first by the indicator's direction (by its value, or by % of
    plan, where higher is better)."""
    if by not in RANK_BY:
        raise BadParameter(
            f"by: «{by}» không phải cách xếp hạng ({', '.join(RANK_BY)})",
            f"by: {by!r} is no ranking key ({', '.join(RANK_BY)})",
        )
    _, rows = cross_section(indicator, period, level, parent, language)
    direction = indicator.direction if by == "value" else "higher_better"
    return {
        "indicator": indicator.as_json(language),
        "period": _period_json(period),
        "level": level,
        "by": by,
        "direction": direction,
        "rows": rank(rows, direction, key=by),
    }


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (> 0)."""
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value * (1 - 1e-12))


def axis(values: list[float | None]) -> dict:
    """The value axis a chart draws: from 0 (or below, for negative values) to a round number."""
    known = [v for v in values if v is not None]
    if not known:
        return {"min": 0.0, "max": 1.0}
    high, low = max(known), min(known)
    top = nice_ceiling(high) if high > 0 else 0.0
    bottom = 0.0 if low >= 0 else -nice_ceiling(-low)
    return {"min": bottom, "max": top if top > bottom else bottom + 1.0}


def trend(indicator: Indicator, unit: OrgUnit, first: periods.Period, last: periods.Period) -> dict:
    """One unit's points (actual and target per period) and the axis they are drawn on."""
    check_period(indicator, first.kind)
    check_level(indicator, unit.level, "unit")
    points = [
        {
            "period": row["period"],
            "start": row["start"],
            "actual": row["actual"],
            "target": row["target"],
            "pct_of_plan": row["pct_of_plan"],
        }
        for row in series(indicator, unit, first, last)
    ]
    return {
        "points": points,
        "axis": axis([p["actual"] for p in points] + [p["target"] for p in points]),
    }


def compare(indicator: Indicator, units: list[OrgUnit], first: periods.Period, last: periods.Period) -> dict:
    """Two units side by side per period: their values, their targets and the difference (first − second)."""
    check_period(indicator, first.kind)
    for unit in units:
        check_level(indicator, unit.level, "units")
    one, two = (series(indicator, unit, first, last) for unit in units)
    rows = [
        {
            "period": a["period"],
            "values": [a["actual"], b["actual"]],
            "targets": [a["target"], b["target"]],
            "difference": None
            if a["actual"] is None or b["actual"] is None
            else round(a["actual"] - b["actual"], 6),
        }
        for a, b in zip(one, two, strict=True)
    ]
    values = [v for row in rows for v in row["values"] + row["targets"]]
    return {"rows": rows, "axis": axis(values)}


def _period_json(period: periods.Period) -> dict:
    return {
        "label": period.label,
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
