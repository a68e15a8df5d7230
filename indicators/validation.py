"""Validation rules of data entry ("Đúng"), all from the declarations: the valid range, a part not above
its whole (`at_most`), a jump against the last period beyond `jump_factor` (a warning the reporter
confirms). Every problem names where it was typed (a form field or an XLSX cell such as "BaoCao!C7"),
the indicator by name and the period, in Vietnamese and in English."""

from __future__ import annotations

import math
from dataclasses import dataclass

from indicators.errors import HubRefused
from indicators.periods import Period
from indicators.registry import Indicator, registry
from spatial.errors import BadRequest


@dataclass(frozen=True)
class Typed:
    """What was typed for one indicator, and where: `where` a field's or a cell's name."""

    indicator: Indicator
    raw: object
    where: str
    previous: float | None = None  # the unit's value of the period before, if any
    stored_wholes: tuple[tuple[str, float], ...] = ()  # stored values of its wholes (code, value)


@dataclass(frozen=True)
class Problem:
    """One refusal (`severity` "error") or a warning to confirm ("warning")."""

    where: str
    indicator: Indicator
    period: Period
    severity: str
    vi: str
    en: str

    def message(self, language: str) -> str:
        if language == "en":
            return f"{self.where}: {self.indicator.name_en}, period {self.period.label}: {self.en}"
        return f"{self.where}: {self.indicator.name_vi}, kỳ {self.period.label}: {self.vi}"

    def as_json(self, language: str = "vi") -> dict:
        return {
            "cell" if "!" in self.where else "field": self.where,
            "indicator": self.indicator.code,
            "period": self.period.label,
            "severity": self.severity,
            "message": self.message(language),
        }


class EntryRefused(HubRefused, BadRequest):
    """400: typed values break a rule (or a jump awaits confirmation); `problems` names each place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.code = (
            "ConfirmationRequired"
            if all(p.severity == "warning" for p in problems)
            else ("InvalidParameterValue")
        )
        super().__init__(
            "; ".join(p.message("vi") for p in problems), "; ".join(p.message("en") for p in problems)
        )

    @property
    def extra(self) -> dict:  # type: ignore[override]
        return {"problems": [p.as_json() for p in self.problems]}


def number(raw: object) -> float | None:
    """The number typed (Vietnamese decimal comma accepted, spaces and thousands dots not), None for
    an empty cell; ValueError otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        value = float(str(raw).strip().replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _shown(value: float) -> str:
    return f"{value:g}"


def _range(indicator: Indicator, value: float) -> tuple[str, str] | None:
    low, high = indicator.valid_range
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    shown = f"[{'' if low is None else _shown(low)}, {'' if high is None else _shown(high)}]"
    return (
        f"{_shown(value)} ngoài khoảng hợp lệ {shown}",
        f"{_shown(value)} is outside the valid range {shown}",
    )


def _jump(indicator: Indicator, value: float, previous: float | None) -> tuple[str, str] | None:
    factor = indicator.jump_factor
    if factor is None or not previous or previous <= 0:
        return None
    ratio = value / previous
    if 1 / factor <= ratio <= factor:
        return None
    return (
        f"{_shown(value)} bằng {ratio:.2g} lần kỳ trước ({_shown(previous)}), vượt ngưỡng {factor:g} lần; "
        "hãy xác nhận nếu số liệu đúng",
        f"{_shown(value)} is {ratio:.2g} times the last period's ({_shown(previous)}), beyond {factor:g} "
        "times; confirm it if it is right",
    )


def _read(entry: Typed, complete: bool) -> tuple[float | None, tuple[str, str] | None]:
    """The number of one entry, or the error of what was typed."""
    try:
        value = number(entry.raw)
    except ValueError:
        return None, (f"«{entry.raw}» không phải là số", f"{entry.raw!r} is not a number")
    if value is None:
        return None, ("chưa nhập số liệu", "no value was entered") if complete else None
    return (None, found) if (found := _range(entry.indicator, value)) is not None else (value, None)


def _above_wholes(entry: Typed, value: float, values: dict[str, float]) -> list[tuple[str, str]]:
    """A part above one of its wholes (typed now, or stored), each named."""
    stored = dict(entry.stored_wholes)
    found = []
    for whole in entry.indicator.at_most:
        limit = values.get(whole, stored.get(whole))
        if limit is not None and value > limit:
            other = registry.get(whole)
            found.append(
                (
                    f"{_shown(value)} không được lớn hơn «{other.name_vi}» ({_shown(limit)})",
                    f"{_shown(value)} may not exceed «{other.name_en}» ({_shown(limit)})",
                )
            )
    return found


def validate(
    typed: list[Typed], period: Period, *, complete: bool = False
) -> tuple[dict[str, float], list[Problem]]:
    """The numbers typed by indicator code, and the problems found; `complete`: every indicator must
    have a value (a report being submitted)."""
    values: dict[str, float] = {}
    problems: list[Problem] = []
    for entry in typed:
        value, error = _read(entry, complete)
        if error is not None:
            problems.append(Problem(entry.where, entry.indicator, period, "error", *error))
        elif value is not None:
            values[entry.indicator.code] = value
    for entry in typed:
        if (value := values.get(entry.indicator.code)) is None:
            continue
        for error in _above_wholes(entry, value, values):
            problems.append(Problem(entry.where, entry.indicator, period, "error", *error))
        if (warning := _jump(entry.indicator, value, entry.previous)) is not None:
            problems.append(Problem(entry.where, entry.indicator, period, "warning", *warning))
    return values, problems
