"""Column mapping files: rename source columns, recode values, set defaults, ignore columns.

Example (YAML or JSON)::

    columns: {SO_TO: sheet_no, SO_THUA: parcel_no, MDSD: land_use, MA_XA: ward_code}
    values: {land_use: {"Đất ở tại đô thị": ODT}}
    defaults: {owner_type: GDC}
    ignore: [GHI_CHU]
    crs: vn2000:yen-bai
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from etl.errors import MappingError

ALLOWED_KEYS = {"columns", "values", "defaults", "ignore", "crs"}


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    crs: str | None = None

    @classmethod
    def load(cls, path: Path) -> ColumnMapping:
        """Read and validate a mapping file; MappingError says what is wrong and where."""
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (OSError, json.JSONDecodeError, yaml.YAMLError) as exc:
            raise MappingError(f"mapping file {path}: cannot be read ({exc})") from exc
        if not isinstance(data, dict):
            raise MappingError(f"mapping file {path}: must be a mapping with keys {sorted(ALLOWED_KEYS)}")
        unknown = set(data) - ALLOWED_KEYS
        if unknown:
            raise MappingError(
                f"mapping file {path}: unknown keys {sorted(unknown)}; allowed: {sorted(ALLOWED_KEYS)}"
            )
        for key in ("columns", "values", "defaults"):
            if not isinstance(data.get(key, {}), dict):
                raise MappingError(f"mapping file {path}: '{key}' must be a mapping")
        if not isinstance(data.get("ignore", []), list):
            raise MappingError(f"mapping file {path}: 'ignore' must be a list of column names")
        return cls(
            columns={str(k): str(v) for k, v in data.get("columns", {}).items()},
            values={str(k): dict(v) for k, v in data.get("values", {}).items()},
            defaults=dict(data.get("defaults", {})),
            ignore=tuple(str(c) for c in data.get("ignore", [])),
            crs=data.get("crs"),
        )

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rename, drop ignored columns, recode values and add defaults (a new frame)."""
        missing = [c for c in self.columns if c not in frame.columns]
        if missing:
            raise MappingError(
                f"the mapping names columns the file does not have: {missing}; "
                f"the file has: {[c for c in frame.columns if c != 'geometry']}"
            )
        frame = frame.drop(columns=[c for c in self.ignore if c in frame.columns])
        frame = frame.rename(columns=self.columns)
        for column, recode in self.values.items():
            if column in frame.columns:
                frame[column] = frame[column].map(lambda v, r=recode: r.get(v, v))
        for column, value in self.defaults.items():
            if column not in frame.columns:
                frame[column] = value
            else:
                frame[column] = frame[column].replace("", None).fillna(value)
        return frame
