"""Numbers as the reader writes them: Vietnamese '.' groups thousands and ',' marks decimals (1.234,5),
English the other way round (1,234.5)."""

from __future__ import annotations

EMPTY = "—"


def number(value: float | None, decimals: int | None = None, *, language: str = "vi") -> str:
    """1234.5 → '1.234,5' ('1,234.5' in English); whole values without decimals unless `decimals` is
    given; None → '—'."""
    if value is None:
        return EMPTY
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 1e-9 else 1
    text = f"{value:,.{decimals}f}"
    if language == "en":
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float | None, signed: bool = False, *, language: str = "vi") -> str:
    """20 → '20,0 %' ('20.0%' in English); signed: '+275,0 %', '-6,7 %'."""
    if value is None:
        return EMPTY
    sign = "+" if signed and value > 0 else ""
    space = "" if language == "en" else " "
    return f"{sign}{number(value, 1, language=language)}{space}%"

