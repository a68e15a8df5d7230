"""Recording a value: the checks every entry path shares (the web form, the XLSX upload and imports will
call `record`), each refusal naming the field, in Vietnamese and English."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from indicators.errors import ValueRefused
from indicators.models import AgencyPlacement, IndicatorValue
from indicators.org_units import LEVEL_NAMES_VI, OrgUnit
from indicators.periods import KIND_NAMES_VI, Period
from indicators.registry import Indicator


def _in_force(unit: OrgUnit, day) -> bool:
    if unit.kind == "agency":
        return AgencyPlacement.objects.filter(
            Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day), agency_id=unit.id
        ).exists()
    return unit.valid_from <= day and (unit.valid_to is None or unit.valid_to > day)


def check(indicator: Indicator, unit: OrgUnit, period: Period, value: float) -> None:
    """Refuse (ValueRefused) a value of the wrong period kind, for a unit of another level or not in
    force on the period's last day, or out of the indicator's valid range."""
    last_day = period.end - timedelta(days=1)
    if period.kind != indicator.cadence:
        raise ValueRefused(
            f"period: {indicator.code} báo cáo theo {KIND_NAMES_VI[indicator.cadence]}, không "
            f"theo {KIND_NAMES_VI[period.kind]}",
            f"period: {indicator.code} is reported by {indicator.cadence}, not by {period.kind}",
        )
    if unit.level not in indicator.levels:
        raise ValueRefused(
            f"unit: {indicator.code} không áp dụng cho cấp {LEVEL_NAMES_VI[unit.level]} ({unit.name})",
            f"unit: {indicator.code} does not apply to the level {unit.level} ({unit.code})",
        )
    if not _in_force(unit, last_day):
        raise ValueRefused(
            f"unit: {unit.name} không còn hoặc chưa có vào ngày {last_day:%d/%m/%Y}, cuối kỳ {period.label}",
            f"unit: {unit.code} is not in force on {last_day.isoformat()}, the last day of {period.label}",
        )
    low, high = indicator.valid_range
    if (low is not None and value < low) or (high is not None and value > high):
        shown = f"[{'' if low is None else low}, {'' if high is None else high}]"
        raise ValueRefused(
            f"value: {value:g} ngoài khoảng hợp lệ {shown} của {indicator.code} ({unit.name}, "
            f"{period.label})",
            f"value: {value:g} is outside {indicator.code}'s valid range "
            f"{shown} ({unit.code}, {period.label})",
        )


def record(
    indicator: Indicator,
    unit: OrgUnit,
    period: Period,
    value: float,
    *,
    by: AbstractBaseUser | None = None,
    status: str = "reported",
    source: str = "",
) -> IndicatorValue:
    """Check and store a value (replacing the unit's value of that period), reported now by `by`."""
    check(indicator, unit, period, value)
    found, _made = IndicatorValue.objects.update_or_create(
        indicator=indicator.code,
        area_id=unit.area_id,
        agency_id=unit.agency_id,
        period_kind=period.kind,
        period_start=period.start,
        defaults={
            "value": value,
            "status": status,
            "reported_at": timezone.now(),
            "reported_by": by,
            "source": source,
        },
    )
    return found
