"""`python -m democity OUT_DIR [--today YYYY-MM-DD] [--seed N]`: write the demo city's files."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import pyogrio

from democity.generator import generate


def _rows(path: Path) -> int:
    if path.suffix == ".gpkg":
        return int(pyogrio.read_info(path)["features"])
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, generate the files and print what was written."""
    parser = argparse.ArgumentParser(prog="python -m democity", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    clock = time.perf_counter()
    files = generate(args.out_dir, args.today, args.seed)
    print(
        f"synthetic demo city written to {args.out_dir} in {time.perf_counter() - clock:.1f} s "
        f"(today = {args.today}, seed = {args.seed})"
    )
    for name, path in files.items():
        print(f"  {name:<18} {_rows(path):>8,}  {path.name}")


if __name__ == "__main__":
    main()
