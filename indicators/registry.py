"""The indicator registry: the one place an indicator is declared (see indicators.catalog).

The hub's API, its aggregation and its checks ask the `Indicator` records held here; nothing else
lists indicators.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spatial.errors import NotFound

# How values combine across units (up the tree, onto successors) and across periods:
#   sum: both summed; mean: the mean of the values; weighted_mean: the mean weighted by the value of
#   `weight` (another indicator) of the same unit and period; latest: the last period's value, summed
#   across units (a stock: households, headcount), as DHIS2's LAST.
AGGREGATIONS = ("sum", "mean", "weighted_mean", "latest")
DIRECTIONS = ("higher_better", "lower_better")
CADENCES = ("day", "week", "month", "quarter", "year")  # finest first
# Levels of the organisation-unit tree: layers.AdminUnit levels, and agencies (sở, ban, ngành:
# layers.ResponsibleUnit placed in the tree by indicators.AgencyPlacement)
LEVELS = ("province", "district", "commune", "agency")
AREA_REPORTER = "area"  # each unit of the indicator's levels reports its own figure
# A report of a period is due by the closing time of this many working days after the period ends
# (workdays' calendar: holidays and swaps count), unless an indicator declares its own.
DUE_WORKING_DAYS = {"day": 1, "week": 2, "month": 5, "quarter": 10, "year": 20}


class UnknownIndicator(NotFound):
    """No indicator with that code is declared (404)."""

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(
            f"không có chỉ tiêu {code!r} / unknown indicator {code!r}; known: {', '.join(known)}"
        )
        self.vi = f"không có chỉ tiêu «{code}»; các chỉ tiêu: {', '.join(known)}"
        self.en = f"unknown indicator {code!r}; known indicators: {', '.join(known)}"

    def message(self, language: str) -> str:
        return self.en if language == "en" else self.vi


@dataclass(frozen=True)
class Indicator:
    """One figure leaders follow, e.g. budget revenue (sum, quarterly, province and communes).

    `reporter`: who reports it — "area" (each unit of `levels` its own figure) or the code of the
    layers.ResponsibleUnit responsible (e.g. "STC", Sở Tài chính). `valid_range`: (low, high), None
    for an open end. `weight`: the indicator weighting a weighted_mean (same cadence). `targets`:
    whether plan values (kế hoạch) are set for it.
    """

    code: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    aggregation: str
    direction: str
    cadence: str
    reporter: str
    levels: tuple[str, ...]
    valid_range: tuple[float | None, float | None] = (None, None)
    weight: str | None = None
    targets: bool = False
    description_vi: str = ""
    description_en: str = ""
    # data entry (indicators.validation): the value may not exceed the value of each of these indicators
    # for the same unit and period (a part and its whole); a value above `jump_factor` times the last
    # period's, or below it divided by the factor, is a warning the reporter confirms
    at_most: tuple[str, ...] = ()
    jump_factor: float | None = None
    due_working_days: int | None = None  # None: DUE_WORKING_DAYS of the cadence

    @property
    def due_days(self) -> int:
        """Working days after the period's end by which its report is due."""
        return DUE_WORKING_DAYS[self.cadence] if self.due_working_days is None else self.due_working_days

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi

    def as_json(self, language: str = "vi") -> dict:
        """The declaration as the API gives it."""
        low, high = self.valid_range
        return {
            "code": self.code,
            "name": self.name(language),
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "unit": self.unit_en if language == "en" else self.unit_vi,
            "aggregation": self.aggregation,
            "weight": self.weight,
            "direction": self.direction,
            "cadence": self.cadence,
            "reporter": self.reporter,
            "levels": list(self.levels),
            "valid_range": {"min": low, "max": high},
            "targets": self.targets,
            "description": self.description_en if language == "en" else self.description_vi,
        }


class IndicatorRegistry:
    """Indicators by code, in the order declared."""

    def __init__(self) -> None:
        self._indicators: dict[str, Indicator] = {}

    def register(self, indicator: Indicator) -> Indicator:
        if indicator.code in self._indicators:
            raise ValueError(f"indicator {indicator.code!r} is declared twice")
        self._indicators[indicator.code] = indicator
        return indicator

    def unregister(self, code: str) -> None:
        self._indicators.pop(code, None)

    def get(self, code: str) -> Indicator:
        try:
            return self._indicators[code]
        except KeyError:
            raise UnknownIndicator(code, list(self._indicators)) from None

    def __contains__(self, code: object) -> bool:
        return code in self._indicators

    def __iter__(self) -> Iterator[Indicator]:
        return iter(list(self._indicators.values()))

    def __len__(self) -> int:
        return len(self._indicators)


registry = IndicatorRegistry()
