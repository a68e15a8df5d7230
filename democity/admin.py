"""Administrative units: Yên Bái before 1 July 2025 (three levels) and Lào Cai after it (two)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Polygon

from democity.geography import Geography, blob, largest_part
from democity.names import ascii_fold

OLD_FROM, REFORM = date(2008, 8, 1), date(2025, 7, 1)
UNIT_TYPE_EN = {"phuong": "Ward", "xa": "Commune", "tinh": "Province", "thanh_pho": "City"}


@dataclass(frozen=True)
class Commune:
    """A commune-level unit of Yên Bái city before 2025, and the 2025 ward it went into."""

    code: str
    name: str
    unit_type: str  # phuong | xa
    seed: tuple[float, float]  # u, v (metres) of its Voronoi seed
    population: int
    merged_into: str  # code of the 2025 ward

    @property
    def urban(self) -> bool:
        return self.unit_type == "phuong"

    @property
    def bank(self) -> str:
        return "left" if self.seed[1] > 0 else "right"

    @property
    def label(self) -> str:
        """'phường Đồng Tâm', 'xã Âu Lâu': as written in addresses."""
        return f"{'phường' if self.urban else 'xã'} {self.name}"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    unit_type: str
    parent_code: str | None
    valid_from: date
    valid_to: date | None


OLD_PROVINCE = Unit("15", "Yên Bái", "province", "tinh", None, OLD_FROM, REFORM)
CITY = Unit("132", "Yên Bái", "district", "thanh_pho", "15", OLD_FROM, REFORM)
NEW_PROVINCE = Unit("15", "Lào Cai", "province", "tinh", None, REFORM, None)
# The wards of the 2025 arrangement that took over Yên Bái city (approximate, see README).
NEW_WARDS = (
    Unit("04300", "Yên Bái", "commune", "phuong", "15", REFORM, None),
    Unit("04303", "Nam Cường", "commune", "phuong", "15", REFORM, None),
    Unit("04306", "Văn Phú", "commune", "phuong", "15", REFORM, None),
    Unit("04309", "Âu Lâu", "commune", "phuong", "15", REFORM, None),
)
COMMUNES = (
    Commune("04249", "Yên Thịnh", "phuong", (3000.0, -2650.0), 10700, "04300"),
    Commune("04250", "Yên Ninh", "phuong", (3250.0, -1100.0), 10300, "04300"),
    Commune("04252", "Minh Tân", "phuong", (1850.0, -950.0), 11200, "04300"),
    Commune("04253", "Nguyễn Thái Học", "phuong", (250.0, -1900.0), 12900, "04300"),
    Commune("04255", "Đồng Tâm", "phuong", (1450.0, -2800.0), 16800, "04300"),
    Commune("04258", "Nguyễn Phúc", "phuong", (-900.0, -800.0), 8100, "04303"),
    Commune("04261", "Hồng Hà", "phuong", (500.0, -700.0), 9800, "04300"),
    Commune("04264", "Minh Bảo", "xa", (-300.0, -4300.0), 4100, "04303"),
    Commune("04267", "Nam Cường", "phuong", (-2500.0, -1350.0), 6400, "04303"),
    Commune("04270", "Tuy Lộc", "xa", (-2500.0, -3800.0), 4800, "04303"),
    Commune("04273", "Tân Thịnh", "xa", (3400.0, -4300.0), 6200, "04300"),
    Commune("04540", "Âu Lâu", "xa", (4000.0, 2200.0), 6700, "04309"),
    Commune("04543", "Giới Phiên", "xa", (-1700.0, 2300.0), 4300, "04306"),
    Commune("04546", "Hợp Minh", "phuong", (1000.0, 1700.0), 5200, "04309"),
    Commune("04558", "Văn Phú", "xa", (-4500.0, -1150.0), 4400, "04306"),
    Commune("04681", "Phúc Lộc", "xa", (-4400.0, 1900.0), 3900, "04306"),
    Commune("04693", "Văn Tiến", "xa", (-4700.0, -3300.0), 3000, "04306"),
)
COMMUNE_BY_CODE = {c.code: c for c in COMMUNES}


def _absorb_fragments(cells: dict[str, shapely.Geometry]) -> dict[str, Polygon]:
    """Give each commune one polygon: stray fragments join the neighbour they share most with."""
    out = {code: largest_part(geom) for code, geom in cells.items()}
    for code, geom in cells.items():
        for part in shapely.get_parts(geom):
            if part.equals(out[code]) or part.geom_type != "Polygon":
                continue
            shared = {
                other: part.boundary.intersection(poly).length for other, poly in out.items() if other != code
            }
            best = max(shared, key=shared.get)
            out[best] = largest_part(out[best].union(part))
    return out


def commune_polygons(geo: Geography) -> dict[str, Polygon]:
    """The 17 communes tiling the outline: Voronoi cells of their seeds, split at the river."""
    cells: dict[str, shapely.Geometry] = {}
    for half, bank in ((geo.left_half, "left"), (geo.right_half, "right")):
        members = [c for c in COMMUNES if c.bank == bank]
        voronoi = shapely.voronoi_polygons(
            MultiPoint([c.seed for c in members]), extend_to=half, ordered=True
        )
        for commune, cell in zip(members, shapely.get_parts(voronoi), strict=True):
            cells[commune.code] = cell.intersection(half)
    return _absorb_fragments(cells)


def _row(unit: Unit, name_en: str, geometry: shapely.Geometry, population: int) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "name_en": name_en,
        "level": unit.level,
        "unit_type": unit.unit_type,
        "parent_code": unit.parent_code,
        "valid_from": unit.valid_from.isoformat(),
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "population": int(population),
        "area_km2": round(geometry.area / 1e6, 2),
        "geometry": geometry,
    }


def admin_units(rng: np.random.Generator, geo: Geography, communes: dict[str, Polygon]) -> pd.DataFrame:
    """Every unit of both structures, parents before children (frame coordinates)."""
    city = shapely.union_all(list(communes.values()))
    old_province = blob(rng, (-9000.0, -6000.0), (42000.0, 36000.0), wobble=0.08).union(city)
    new_province = old_province.union(blob(rng, (-62000.0, 6000.0), (34000.0, 28000.0), wobble=0.08))
    city_population = sum(c.population for c in COMMUNES)
    rows = [
        _row(OLD_PROVINCE, "Yen Bai Province", old_province, 858_000),
        _row(CITY, "Yen Bai City", city, city_population),
    ]
    for c in COMMUNES:
        unit = Unit(c.code, c.name, "commune", c.unit_type, CITY.code, OLD_FROM, REFORM)
        rows.append(
            _row(unit, f"{ascii_fold(c.name)} {UNIT_TYPE_EN[c.unit_type]}", communes[c.code], c.population)
        )
    rows.append(_row(NEW_PROVINCE, "Lao Cai Province", new_province, 1_778_000))
    for ward in NEW_WARDS:
        members = [c for c in COMMUNES if c.merged_into == ward.code]
        geometry = shapely.union_all([communes[c.code] for c in members])
        rows.append(_row(ward, f"{ascii_fold(ward.name)} Ward", geometry, sum(c.population for c in members)))
    return pd.DataFrame(rows)
