"""The SQL files of this app (response/sql/*.sql), read once, without their comment lines (a comment
may name a placeholder, which the driver would otherwise bind)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL = Path(__file__).resolve().parent / "sql"


@cache
def read(name: str) -> str:
    """The text of response/sql/`name` without its `--` comment lines."""
    text = (SQL / name).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
