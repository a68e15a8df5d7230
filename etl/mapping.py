"""Column mapping files: rename source columns, compute and combine columns, recode values, set
defaults, ignore columns.

Example (YAML or JSON)::

    columns: {SO_TO: sheet_no, SO_THUA: parcel_no, MDSD: land_use, MA_XA: ward_code}
    computed:
      address: "{addr:housenumber} {addr:street}"          # text from columns, blanks skipped
      area_m2_declared: {expression: "{DT_HA} * 10000"}    # arithmetic on columns (a unit change)
    values: {land_use: {"Đất ở tại đô thị": ODT}, kind: {yes: other}}
    defaults: {owner_type: GDC}
    ignore: [GHI_CHU]
    crs: vn2000:yen-bai

YAML is read with the 1.2 rule for booleans: only true/false are booleans, so OSM's `yes`, `no`,
`on` and `off` stay text (YAML 1.1 would turn `building: yes` into `building: True` silently).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from etl.errors import MappingError
from etl.expressions import Computed, parse_computed
from etl.lookups import normalize
from etl.report import Problem

ALLOWED_KEYS = {"columns", "computed", "values", "defaults", "ignore", "crs"}


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's booleans (true/false only)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read_mapping_text(text: str, json_format: bool = False) -> object:
    """Parse a mapping file's text (YAML 1.2 booleans, or JSON)."""
    return json.loads(text) if json_format else yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, str] = field(default_factory=dict)
    computed: dict[str, Computed] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    crs: str | None = None

    @classmethod
    def load(cls, path: Path) -> ColumnMapping:
        """Read and validate a mapping file; MappingError says what is wrong and where."""
        try:
            text = path.read_text(encoding="utf-8")
            data = read_mapping_text(text, path.suffix.lower() == ".json")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
            raise MappingError(f"mapping file {path.name}: cannot be read ({exc})") from exc
        return cls.from_dict(data, path.name)

    @classmethod
    def from_dict(cls, data: object, name: str = "mapping") -> ColumnMapping:
        """A mapping from parsed data (e.g. the browser import's mapping step)."""
        if not isinstance(data, dict):
            raise MappingError(f"mapping file {name}: must be a mapping with keys {sorted(ALLOWED_KEYS)}")
        unknown = set(data) - ALLOWED_KEYS
        if unknown:
            raise MappingError(
                f"mapping file {name}: unknown keys {sorted(map(str, unknown))}; "
                f"allowed: {sorted(ALLOWED_KEYS)}"
            )
        for key in ("columns", "computed", "values", "defaults"):
            if not isinstance(data.get(key) or {}, dict):
                raise MappingError(f"mapping file {name}: '{key}' must be a mapping")
        if not isinstance(data.get("ignore") or [], list):
            raise MappingError(f"mapping file {name}: 'ignore' must be a list of column names")
        values = data.get("values") or {}
        if bad := [k for k, v in values.items() if not isinstance(v, dict)]:
            raise MappingError(f"mapping file {name}: values of {bad[0]!r} must be a mapping of "
                               "source value to code, e.g. {values: {land_use: {\"Đất ở\": ODT}}}")
        computed = {str(k): parse_computed(str(k), v) for k, v in (data.get("computed") or {}).items()}
        return cls(
            columns={str(k): str(v) for k, v in (data.get("columns") or {}).items()},
            computed=computed,
            values={str(k): {normalize(code): to for code, to in v.items()} for k, v in values.items()},
            defaults=dict(data.get("defaults") or {}),
            ignore=tuple(str(c) for c in data.get("ignore") or []),
            crs=data.get("crs"),
        )

    def apply(self, frame: pd.DataFrame, problems: list[Problem] | None = None) -> pd.DataFrame:
        """Compute, drop ignored columns, rename, recode values and add defaults (a new frame).
        Columns that computed columns read are dropped unless `columns:` renames them; values a
        computation cannot read become problems of their rows."""
        problems = problems if problems is not None else []
        wanted = set(self.columns) | {c for spec in self.computed.values() for c in spec.columns}
        missing = sorted(c for c in wanted if c not in frame.columns)
        if missing:
            raise MappingError(
                f"the mapping names columns the file does not have: {missing}; "
                f"the file has: {[c for c in frame.columns if c != 'geometry']}"
            )
        frame = frame.copy()
        for target, spec in self.computed.items():
            frame[target] = spec.evaluate(frame, problems)
        consumed = {c for spec in self.computed.values() for c in spec.columns}
        dropped = (consumed - set(self.columns) - set(self.computed)) | set(self.ignore)
        frame = frame.drop(columns=[c for c in dropped if c in frame.columns and c != "geometry"])
        frame = frame.rename(columns=self.columns)
        for column, recode in self.values.items():
            if column in frame.columns:
                frame[column] = frame[column].map(lambda v, r=recode: r.get(normalize(v),
                    v) if _present(v) else v)
        for column, value in self.defaults.items():
            if column not in frame.columns:
                frame[column] = value
            else:
                frame[column] = frame[column].replace("", None).fillna(value)
        return frame


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)
