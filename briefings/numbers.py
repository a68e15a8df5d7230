"""Numbers as a Vietnamese reader writes them: '.' groups thousands, ',' marks decimals (1.234,5)."""

from __future__ import annotations

EMPTY = "—"


def vi_number(value: float | None, decimals: int | None = None) -> str:
    """1234.5 → '1.234,5'; whole values without decimals unless `decimals` is given; None → '—'."""
    if value is None:
        return EMPTY
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 1e-9 else 1
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vi_percent(value: float | None, signed: bool = False) -> str:
    """20 → '20,0 %'; signed: '+275,0 %', '-6,7 %'."""
    if value is None:
        return EMPTY
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{vi_number(value, 1)} %"
