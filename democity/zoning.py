"""Zoning plans: zones of two or three approved plans covering the city, with building limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely

from democity.city import City
from democity.grid import Grid
from democity.rng import choose


@dataclass(frozen=True)
class Plan:
    prefix: str
    name: str
    decision_no: str
    decision_date: date
    area: str  # core_right | core_left | rural
    grid: str


PLANS = (
    Plan(
        "TT",
        "Quy hoạch phân khu trung tâm thành phố Yên Bái, tỷ lệ 1/2000",
        "2217/QĐ-UBND",
        date(2023, 10, 25),
        "core_right",
        "core",
    ),
    Plan(
        "BT",
        "Quy hoạch phân khu khu vực bờ tả sông Hồng, tỷ lệ 1/2000",
        "986/QĐ-UBND",
        date(2024, 5, 16),
        "core_left",
        "core",
    ),
    Plan(
        "QHC",
        "Quy hoạch chung thành phố Yên Bái đến năm 2040, tầm nhìn đến năm 2060",
        "1563/QĐ-UBND",
        date(2022, 8, 12),
        "rural",
        "rural",
    ),
)
FUNCTION_OF_USE = {
    "ODT": "residential",
    "ONT": "residential",
    "TMD": "commercial",
    "SKC": "industrial",
    "SKK": "industrial",
    "DGT": "transport",
    "DKV": "green",
    "NTD": "green",
    "SON": "green",
    "MNC": "green",
    **{code: "public" for code in ("TSC", "DVH", "DYT", "DGD", "DTT", "CQP", "CAN", "DCH", "TON")},
    **{code: "agriculture" for code in ("LUC", "LUK", "BHK", "CLN", "RSX", "RPH", "NTS", "DTL", "BCS")},
}
# function → (max FAR range, max coverage % range, max height m range)
LIMITS = {
    "residential": ((1.5, 4.5), (55, 80), (12, 32)),
    "mixed": ((3.5, 6.0), (50, 70), (30, 45)),
    "commercial": ((4.0, 8.0), (45, 60), (40, 75)),
    "public": ((1.0, 2.5), (30, 45), (12, 25)),
    "green": ((0.05, 0.2), (3, 8), (4, 8)),
    "industrial": ((0.8, 1.5), (50, 65), (12, 20)),
    "transport": ((0.3, 0.8), (15, 30), (8, 15)),
    "agriculture": ((0.05, 0.15), (3, 8), (6, 10)),
}
GROUP = 2  # zones are GROUP × GROUP grid cells


def _rectangles(grid: Grid) -> list[shapely.Geometry]:
    u, v = grid.u, grid.v
    return [
        shapely.box(u[a], v[b], u[min(a + GROUP, len(u) - 1)], v[min(b + GROUP, len(v) - 1)])
        for b in range(0, len(v) - 1, GROUP)
        for a in range(0, len(u) - 1, GROUP)
    ]


def _zone_shapes(city: City, plan: Plan) -> np.ndarray:
    area = {
        "core_right": city.zones.core_right,
        "core_left": city.zones.core_left,
        "rural": city.zones.rural,
    }[plan.area]
    shapes = shapely.intersection(np.asarray(_rectangles(city.grids[plan.grid]), dtype=object), area)
    polygonal = [
        shapely.union_all([p for p in shapely.get_parts(s) if p.geom_type == "Polygon" and p.area >= 2000.0])
        for s in shapes
    ]
    return np.asarray([s for s in polygonal if not s.is_empty], dtype=object)


# (function, measure, minimum share): the first rule a zone meets gives its function.
RULES = (
    ("industrial", "area", 0.25),
    ("public", "area", 0.2),
    ("green", "area", 0.3),
    ("transport", "area", 0.4),
    ("commercial", "count", 0.2),
)


def _shares(shapes: np.ndarray, parcels: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Per zone: share of parcels and of parcel area by function, and the share of land in parcels."""
    points = shapely.points(parcels.u.to_numpy(), parcels.v.to_numpy())
    parcel_index, zone_index = shapely.STRtree(shapes).query(points, predicate="within")
    uses = pd.DataFrame(
        {
            "zone": zone_index,
            "one": 1.0,
            "function": parcels.land_use.map(FUNCTION_OF_USE).to_numpy()[parcel_index],
            "area": shapely.area(parcels.geometry.to_numpy()[parcel_index]),
        }
    )
    zones = pd.RangeIndex(len(shapes))
    tables = [
        uses.pivot_table(index="zone", columns="function", values=v, aggfunc="sum", fill_value=0.0).reindex(
            index=zones, columns=list(LIMITS), fill_value=0.0
        )
        for v in ("one", "area")
    ]
    count, area = (t.div(t.sum(axis=1).replace(0.0, 1.0), axis=0) for t in tables)
    coverage = tables[1].sum(axis=1) / shapely.area(shapes)
    return count, area, coverage


# What planners give the zones no rule decides: urban plans, then the general plan.
PLANNED = {
    True: {"residential": 64, "mixed": 18, "commercial": 8, "green": 10},
    False: {"agriculture": 80, "green": 10, "residential": 6, "industrial": 4},
}


def _functions(
    rng: np.random.Generator, shapes: np.ndarray, parcels: pd.DataFrame, urban: bool
) -> np.ndarray:
    count, area, coverage = _shares(shapes, parcels)
    default = choose(rng, PLANNED[urban], len(shapes))
    if not urban:
        default[(area["residential"] > 0.3).to_numpy()] = "residential"
    out = pd.Series(default, index=count.index, dtype=object)
    decided = pd.Series(False, index=count.index)
    for function, measure, minimum in RULES:
        hit = ~decided & ((area if measure == "area" else count)[function] >= minimum)
        out[hit], decided = function, decided | hit
    out[coverage < 0.35] = "green"
    return out.to_numpy()


def _ward_codes(shapes: np.ndarray, city: City) -> np.ndarray:
    codes = list(city.communes)
    areas = np.column_stack([shapely.area(shapely.intersection(shapes, city.communes[c])) for c in codes])
    return np.asarray(codes, dtype=object)[areas.argmax(axis=1)]


def build_zoning(rng: np.random.Generator, city: City, parcels: pd.DataFrame) -> pd.DataFrame:
    """Zones of every plan, numbered within their plan, with limits drawn for their function."""
    frames = []
    for plan in PLANS:
        shapes = _zone_shapes(city, plan)
        function = _functions(rng, shapes, parcels, plan.grid == "core")
        limits = np.array([[rng.uniform(*r) for r in LIMITS[f]] for f in function])
        frames.append(
            pd.DataFrame(
                {
                    "ward_code": _ward_codes(shapes, city),
                    "plan_name": plan.name,
                    "decision_no": plan.decision_no,
                    "decision_date": plan.decision_date.isoformat(),
                    "zone_code": [f"{plan.prefix}-{n:03d}" for n in range(1, len(shapes) + 1)],
                    "function": function,
                    "max_far": limits[:, 0].round(1),
                    "max_coverage_pct": limits[:, 1].round(0),
                    "max_height_m": limits[:, 2].round(0),
                    "geometry": shapes,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
