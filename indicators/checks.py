"""System checks of the indicator declarations (`ioc check`, and at every start): each error names the
indicator and the option, as layers.checks does for layers."""

from __future__ import annotations

import re

from django.core import checks

from indicators.registry import (
    AGGREGATIONS,
    AREA_REPORTER,
    CADENCES,
    DIRECTIONS,
    LEVELS,
    Indicator,
    IndicatorRegistry,
    registry,
)

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def _error(indicator: Indicator, code: int, message: str, hint: str) -> checks.Error:
    return checks.Error(
        f"indicator {indicator.code!r}: {message}",
        hint=hint,
        obj=f"indicators.catalog:{indicator.code}",
        id=f"indicators.E{code:03d}",
    )


def _choices(indicator: Indicator) -> list[checks.Error]:
    errors = []
    for option, allowed in (("aggregation", AGGREGATIONS), ("direction", DIRECTIONS), ("cadence", CADENCES)):
        if getattr(indicator, option) not in allowed:
            errors.append(
                _error(
                    indicator,
                    2,
                    f"{option} {getattr(indicator, option)!r} is unknown",
                    f"use one of {allowed}",
                )
            )
    unknown = [level for level in indicator.levels if level not in LEVELS]
    if not indicator.levels or unknown:
        errors.append(
            _error(
                indicator,
                3,
                f"levels {list(indicator.levels)} must be some of {LEVELS}",
                "name the organisation levels the indicator applies to",
            )
        )
    return errors


def _texts(indicator: Indicator) -> list[checks.Error]:
    errors = []
    if not CODE.match(indicator.code):
        errors.append(
            _error(
                indicator,
                1,
                "the code must be lower case letters, digits and _ (≤ 40)",
                "e.g. code='budget_revenue'",
            )
        )
    for option in ("name_vi", "name_en", "unit_vi", "unit_en"):
        if not getattr(indicator, option).strip():
            errors.append(
                _error(indicator, 4, f"{option} is empty", "give Vietnamese and English names and units")
            )
    if indicator.reporter != AREA_REPORTER and not UNIT_CODE.match(indicator.reporter):
        errors.append(
            _error(
                indicator,
                5,
                f"reporter {indicator.reporter!r} is neither {AREA_REPORTER!r} nor a unit code",
                "name the responsible unit's code (e.g. 'STC')",
            )
        )
    return errors


def _range(indicator: Indicator) -> list[checks.Error]:
    low, high = indicator.valid_range
    if low is not None and high is not None and low > high:
        return [
            _error(indicator, 6, f"valid_range ({low}, {high}) is empty", "give (low, high) with low ≤ high")
        ]
    return []


def _weight(indicator: Indicator, indicators: IndicatorRegistry) -> list[checks.Error]:
    if indicator.aggregation != "weighted_mean":
        if indicator.weight is not None:
            return [
                _error(
                    indicator,
                    7,
                    f"weight {indicator.weight!r} is given but aggregation is {indicator.aggregation!r}",
                    "remove the weight or use weighted_mean",
                )
            ]
        return []
    if indicator.weight is None or indicator.weight not in indicators:
        return [
            _error(
                indicator,
                8,
                f"weighted_mean needs a declared weight indicator, not {indicator.weight!r}",
                "name the indicator weighting it, e.g. weight='households'",
            )
        ]
    weight = indicators.get(indicator.weight)
    if weight.cadence != indicator.cadence or not set(indicator.levels) <= set(weight.levels):
        return [
            _error(
                indicator,
                9,
                f"weight {weight.code!r} must have the cadence {indicator.cadence!r} and "
                f"the levels {list(indicator.levels)}",
                "a value is weighted by the weight of the same unit and period",
            )
        ]
    if weight.aggregation == "weighted_mean":
        return [
            _error(
                indicator,
                10,
                f"weight {weight.code!r} is itself a weighted mean",
                "weight by a count (sum or latest)",
            )
        ]
    return []


def _entry(indicator: Indicator, indicators: IndicatorRegistry) -> list[checks.Error]:
    """The data-entry options: parts of declared wholes of the same cadence, a jump factor above 1, a
    due day not negative."""
    errors = []
    for whole in indicator.at_most:
        other = indicators.get(whole) if whole in indicators else None
        fits = other is not None and other.cadence == indicator.cadence
        if not fits or not set(indicator.levels) <= set(other.levels):
            errors.append(
                _error(
                    indicator,
                    11,
                    f"at_most {whole!r} must be a declared indicator of the cadence {indicator.cadence!r} "
                    f"and the levels {list(indicator.levels)}",
                    "a part is compared with its whole of the same unit and period",
                )
            )
    if indicator.jump_factor is not None and not indicator.jump_factor > 1:
        errors.append(
            _error(indicator, 12, f"jump_factor {indicator.jump_factor!r} must be above 1", "e.g. 3.0")
        )
    if indicator.due_working_days is not None and indicator.due_working_days < 0:
        errors.append(
            _error(indicator, 13, f"due_working_days {indicator.due_working_days} is negative", "e.g. 5")
        )
    return errors


def declaration_errors(indicators: IndicatorRegistry) -> list[checks.Error]:
    """Every problem of the declarations in `indicators`."""
    errors: list[checks.Error] = []
    for indicator in indicators:
        errors += _texts(indicator) + _choices(indicator) + _range(indicator) + _weight(indicator, indicators)
        errors += _entry(indicator, indicators)
    return errors


@checks.register("indicators")
def check_indicators(app_configs=None, **kwargs) -> list[checks.Error]:
    """indicators.E001…: the catalogue's declarations."""
    return declaration_errors(registry)
