"""The administrative tree as the map's drill-down sees it: units with their bbox and search key.

Both structures are kept side by side: before 1 July 2025 (province → district → commune) and
after it (province → commune). Each root province starts one tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from psycopg import sql

from layers.identifiers import names
from layers.models import AdminUnit
from layers.vocabularies import ADMIN_LEVEL
from spatial.errors import BadRequest
from spatial.text import fold

LEVEL_ORDER = {code: index for index, code in enumerate(ADMIN_LEVEL.codes)}  # province, district, commune
# the short vi/en names of the levels, for the trees' titles
LEVEL_WORDS = {"province": ("tỉnh", "province"), "district": ("huyện", "district"),
               "commune": ("xã", "commune")}

UNITS_SQL = """
SELECT {u.id}, {u.code}, {u.name}, {u.name_en}, {u.level}, {u.parent}, {u.valid_from}, {u.valid_to},
       ST_XMin({u.geom}), ST_YMin({u.geom}), ST_XMax({u.geom}), ST_YMax({u.geom})
FROM {u}
"""


@dataclass(frozen=True)
class Unit:
    """One administrative unit, without its geometry (the map draws it from the wards tiles)."""

    id: int
    code: str
    name: str
    name_en: str
    level: str
    parent_id: int | None
    valid_from: date
    valid_to: date | None
    bbox: tuple[float, float, float, float]

    @property
    def search(self) -> str:
        return fold(self.name)

    def as_json(self) -> dict:
        return {
            "id": self.id, "code": self.code, "name": self.name, "name_en": self.name_en,
            "level": self.level, "parent_id": self.parent_id, "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "bbox": [round(v, 6) for v in self.bbox], "search": self.search,
        }


def _units(unit_id: int | None = None) -> list[Unit]:
    """Every unit, or the one with id `unit_id`."""
    unit = names(AdminUnit, "u")
    where = sql.SQL(" WHERE {} = %s").format(unit["u.id"]) if unit_id is not None else sql.SQL("")
    with connection.cursor() as cursor:
        cursor.execute((sql.SQL(UNITS_SQL).format(**unit) + where).as_string(None),
                       () if unit_id is None else (unit_id,))
        return [Unit(*row[:8], bbox=tuple(row[8:])) for row in cursor.fetchall()]


def all_units() -> list[Unit]:
    """Every unit of both trees, by level (province first) then by name (diacritics ignored)."""
    return sorted(_units(), key=lambda u: (LEVEL_ORDER.get(u.level, 99), u.search, u.name, u.id))


def matching(units: list[Unit], query: str) -> list[Unit]:
    """The units whose name contains `query`, with or without diacritics ('dong tam' ⊂ 'Đồng Tâm')."""
    key = fold(query)
    return [unit for unit in units if key in unit.search or key == unit.code]


def unit_by_id(text: str) -> Unit:
    """The unit with id `text` (a request parameter); 400 with the way out when there is none."""
    try:
        unit_id = int(text)
    except ValueError:
        raise BadRequest(f"unit: {text!r} is not a unit id; take one from /api/units") from None
    found = _units(unit_id)
    if not found:
        raise BadRequest(f"unit: there is no administrative unit with id {unit_id}; see /api/units")
    return found[0]


def _tree_title(root: Unit, levels: list[str]) -> tuple[str, str]:
    chain_vi = " → ".join(LEVEL_WORDS[level][0] for level in levels if level in LEVEL_WORDS)
    chain_en = " → ".join(LEVEL_WORDS[level][1] for level in levels if level in LEVEL_WORDS)
    if root.valid_to:
        day = root.valid_to
        return (f"Trước {day.day:02d}/{day.month}/{day.year} ({chain_vi})",
                f"Before {day.day} {day:%B %Y} ({chain_en})")
    day = root.valid_from
    return (f"Từ {day.day:02d}/{day.month}/{day.year} ({chain_vi})",
            f"Since {day.day} {day:%B %Y} ({chain_en})")


def trees(units: list[Unit]) -> list[dict]:
    """One entry per root unit (a structure of the tree), oldest first, e.g. id '2008' and '2025'."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    result = []
    for root in sorted(children.get(None, []), key=lambda u: u.valid_from):
        levels, layer = [], [root]
        while layer:
            levels.extend(level for level in dict.fromkeys(u.level for u in layer) if level not in levels)
            layer = [child for unit in layer for child in children.get(unit.id, [])]
        levels.sort(key=lambda level: LEVEL_ORDER.get(level, 99))
        title_vi, title_en = _tree_title(root, levels)
        result.append({"id": str(root.valid_from.year), "vi": title_vi, "en": title_en, "root_id": root.id})
    return result
