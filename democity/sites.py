"""Special-use sites: the blocks (or corners of blocks) given to schools, hospitals, offices, parks…"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from democity.admin import COMMUNES
from democity.errors import DemoLayoutError

ANY = ("dense", "suburban", "field", "hill")
URBAN = ("dense", "suburban")


@dataclass(frozen=True)
class SiteKind:
    land_use: str
    owner_type: str
    area_m2: tuple[float, float]
    classes: tuple[str, ...]  # block classes the site may take


SITE_KINDS: dict[str, SiteKind] = {
    "mam_non": SiteKind("DGD", "TCC", (1800, 3500), ANY),
    "tieu_hoc": SiteKind("DGD", "TCC", (5000, 9000), ANY),
    "thcs": SiteKind("DGD", "TCC", (6000, 11000), ANY),
    "thpt": SiteKind("DGD", "TCC", (10000, 18000), URBAN),
    "hospital": SiteKind("DYT", "TCC", (15000, 30000), URBAN),
    "clinic": SiteKind("DYT", "TCC", (350, 900), ("dense",)),
    "ward_station": SiteKind("DYT", "TCC", (600, 1400), ANY),
    "commune_office": SiteKind("TSC", "UBS", (1500, 3000), ANY),
    "province_centre": SiteKind("TSC", "TCC", (5000, 9000), ("dense",)),
    "hotel": SiteKind("TMD", "TCC", (600, 2500), URBAN),
    "office": SiteKind("TSC", "TCC", (3000, 12000), URBAN),
    "market": SiteKind("DCH", "UBS", (3000, 8000), URBAN),
    "park": SiteKind("DKV", "UBS", (8000, 20000), URBAN),
    "stadium": SiteKind("DTT", "TCC", (15000, 25000), ("suburban",)),
    "culture_house": SiteKind("DVH", "UBS", (800, 2000), ANY),
    "pagoda": SiteKind("TON", "CDS", (1500, 5000), ANY),
    "police": SiteKind("CAN", "TCC", (2000, 6000), URBAN),
    "military": SiteKind("CQP", "TCC", (10000, 40000), ("hill", "suburban")),
    "factory": SiteKind("SKC", "TCC", (5000, 20000), ("suburban", "field")),
    "industrial_park": SiteKind("SKK", "TVN", (40000, 90000), ("field", "hill")),
    "cemetery": SiteKind("NTD", "UBS", (5000, 20000), ("hill",)),
    "pumping_station": SiteKind("DTL", "UBS", (300, 800), ("field",)),
    "bus_station": SiteKind("DGT", "TCC", (8000, 15000), ("suburban",)),
    "fuel_station": SiteKind("TMD", "TCC", (800, 1500), ("suburban", "field")),
}
# Sites not tied to one commune: kind → how many.
CITY_WIDE = {
    "province_centre": 1,
    "hospital": 5,
    "clinic": 8,
    "thpt": 6,
    "hotel": 15,
    "office": 8,
    "market": 3,
    "park": 3,
    "stadium": 1,
    "culture_house": 6,
    "pagoda": 5,
    "police": 3,
    "military": 2,
    "factory": 8,
    "industrial_park": 3,
    "cemetery": 5,
    "pumping_station": 3,
    "bus_station": 1,
    "fuel_station": 4,
}
SCHOOLS_BY_POPULATION = {"tieu_hoc": 16, "thcs": 11}  # the n most populous communes have one


def site_requests() -> list[tuple[str, str | None]]:
    """(kind, commune code or None) for every site to place, per-commune ones first."""
    requests: list[tuple[str, str | None]] = []
    by_population = sorted(COMMUNES, key=lambda c: -c.population)
    for commune in COMMUNES:
        requests += [
            ("commune_office", commune.code),
            ("ward_station", commune.code),
            ("mam_non", commune.code),
        ]
    for kind, n in SCHOOLS_BY_POPULATION.items():
        requests += [(kind, c.code) for c in by_population[:n]]
    for kind, n in CITY_WIDE.items():
        requests += [(kind, None)] * n
    return requests


def _candidates(table: pd.DataFrame, kind: SiteKind, ward: str | None, area: float) -> pd.DataFrame:
    fits = table["piece_area"] >= area * 1.3
    if ward is not None:
        fits &= table["ward_code"] == ward
    preferred = table[fits & table["cls"].isin(kind.classes)]
    return preferred if len(preferred) else table[fits]


def _corners(block: pd.Series, area: float) -> list[tuple[float, float, float, float]]:
    """Rectangles of about `area` in the corners of the block, street corners first."""
    width, depth = block.u1 - block.u0, block.v1 - block.v0
    d = float(np.clip(np.sqrt(area * 0.8), 20.0, depth))
    d = depth if depth - d < 18.0 else d
    w = area / d
    w = width if w > width or width - w < 15.0 else w
    tops = [block.v1 - d, block.v0] if block.front_top or not block.front_bottom else [block.v0, block.v1 - d]
    return [(u0, u0 + w, v0, v0 + d) for v0 in tops for u0 in (block.u0, block.u1 - w)]


def _find(rng: np.random.Generator, options: pd.DataFrame, area: float) -> tuple[pd.Series, tuple] | None:
    for index in rng.permutation(len(options))[:300]:
        piece = options.iloc[int(index)]
        for rect in _corners(piece, area):
            if piece.geometry.covers(shapely.box(rect[0], rect[2], rect[1], rect[3])):
                return piece, rect
    return None


def _row(piece: pd.Series, rect: tuple[float, float, float, float]) -> str:
    if np.isclose(rect[3], piece.v1) and piece.front_top:
        return "top"
    return "bottom" if np.isclose(rect[2], piece.v0) and piece.front_bottom else "inner"


def place_sites(rng: np.random.Generator, blocks: pd.DataFrame, pieces: pd.DataFrame) -> pd.DataFrame:
    """Sites in the corners of blocks, each wholly inside one ward piece, at most one per block."""
    table = pieces.merge(blocks.drop(columns="geometry"), on="block_id")
    table["piece_area"] = shapely.area(table.geometry.to_numpy())
    rows = []
    for kind_name, ward in site_requests():
        kind = SITE_KINDS[kind_name]
        area = float(rng.uniform(*kind.area_m2))
        found = _find(rng, _candidates(table, kind, ward, area), area)
        if found is None:
            raise DemoLayoutError(f"no block left for a {kind_name} site in commune {ward}")
        piece, (u0, u1, v0, v1) = found
        rows.append(
            {
                "site_id": len(rows),
                "kind": kind_name,
                "block_id": int(piece.block_id),
                "ward_code": piece.ward_code,
                "land_use": kind.land_use,
                "owner_type": kind.owner_type,
                "u0": u0,
                "u1": u1,
                "v0": v0,
                "v1": v1,
                "row": _row(piece, (u0, u1, v0, v1)),
            }
        )
        table = table[table.block_id != piece.block_id]
    return pd.DataFrame(rows)
