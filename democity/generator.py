"""A deterministic generator of a synthetic demo city (Yên Bái on the Red River) as source files.

`generate(out_dir, today)` writes GeoPackages and CSV tables that the importers load; the data
are synthetic (see README.md in this package). The returned mapping is in load order.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from democity.build import build_demo
from democity.output import write_layer, write_table

__all__ = ["generate"]


def generate(out_dir: Path, today: date, seed: int = 2025) -> dict[str, Path]:
    """Write the demo city's files into `out_dir`; {layer id or table name: path}, in load order.

    The same (seed, today) always gives the same features and values. Events cover the 90 whole
    days before `today` (local time, UTC+07:00).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = build_demo(today, seed)
    files = {
        name: write_layer(layer.frame, out_dir, name, layer.multi) for name, layer in demo.layers.items()
    }
    files |= {name: write_table(frame, out_dir, name) for name, frame in demo.tables.items()}
    return files
