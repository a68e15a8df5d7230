"""What an import is asked to do (ImportOptions), light enough for `ioc import` to read its command
line before the application loads; the engine that does it is etl.importer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from etl.report import Problem
    from etl.targets import Target

MODES = ("append", "upsert", "replace")


@dataclass
class ImportOptions:
    """Which layer a file goes into, and how (mode, CRS, mapping, dry run, rules, refused rows)."""

    layer: str
    mode: str = "append"
    crs: str | None = None
    mapping: Path | None = None
    dry_run: bool = False
    repair: bool = False
    source_layer: str | None = None
    actor: str = ""
    progress: Callable[[str], None] | None = None
    # False: all or nothing; True: load the valid rows and return the refused ones (refused_path)
    load_valid: bool = False
    refused_path: Path | None = None  # where to write the refused rows (.gpkg or .csv), if any
    # the rules of place (the cadastre's, declared wards holding their points); on for every import,
    # the demo city's included: off only for a repair by an administrator who knows why
    place_rules: bool = True
    # rules of whoever imports (the browser import: a land official's wards), judged with the others:
    # called with the prepared rows (model columns, geometry as hex WKB) and the target, it returns
    # the problems of the rows it refuses
    row_rules: Callable[[pd.DataFrame, Target], list[Problem]] | None = None
