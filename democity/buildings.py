"""The demo city's buildings: one on a share of the built-up parcels, set back from the parcel's edges."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    from democity.layers import Context

# a parcel's land use → the use of the building on it (weights)
USE_ON_LAND: dict[str, dict[str, float]] = {
    "ODT": {"residential": 0.8, "mixed": 0.2},
    "ONT": {"residential": 0.95, "other": 0.05},
    "TMD": {"commercial": 0.85, "mixed": 0.15},
    "SKC": {"industrial": 1.0},
    "SKK": {"industrial": 1.0},
    "TON": {"religious": 1.0},
    **{code: {"public": 1.0} for code in ("TSC", "DVH", "DYT", "DGD", "DTT", "DCH", "DKV")},
}
FLOORS = {"residential": (1, 5), "mixed": (3, 6), "commercial": (2, 9), "public": (1, 4),  # fewest, most
          "industrial": (1, 2), "religious": (1, 2), "other": (1, 2)}
SHARE = 0.06  # of the parcels that may hold one, those that do
SETBACK_M = (0.8, 2.5)
MAX_SIDE_M = 24.0  # a footprint fits in a square this wide around the parcel's inner point
MIN_FOOTPRINT_M2 = 20.0



def buildings(ctx: Context) -> pd.DataFrame:
    """Buildings on a share of the parcels whose land use holds one, each naming its parcel."""
    rng = ctx.stream("buildings")
    parcels = ctx.parcels
    eligible = np.flatnonzero(parcels.land_use.isin(list(USE_ON_LAND)).to_numpy())
    chosen = np.sort(rng.choice(eligible, size=int(len(eligible) * SHARE), replace=False))
    lots = parcels.iloc[chosen].reset_index(drop=True)
    shapes = lots.geometry.to_numpy()
    inner = shapely.point_on_surface(shapes)
    room = shapely.buffer(inner, MAX_SIDE_M / 2.0, cap_style="square")
    set_back = shapely.buffer(shapes, -rng.uniform(*SETBACK_M, len(lots)), join_style="mitre")
    footprints = np.array([_largest(g) for g in shapely.intersection(set_back, room)], dtype=object)
    uses = np.array([_draw(rng, USE_ON_LAND[land]) for land in lots.land_use], dtype=object)
    floors = np.array([rng.integers(low, high + 1) for low, high in (FLOORS[use] for use in uses)])
    built = rng.integers(1965, 2025, len(lots)).astype(float)
    built[rng.random(len(lots)) < 0.1] = np.nan  # the year is not always on record
    frame = pd.DataFrame({
        "code": [f"CT-{w}-{s:03d}-{p:04d}" for w, s, p in zip(lots.ward_code, lots.sheet_no, lots.parcel_no,
                                                              strict=True)],
        "name": "",
        "building_use": uses,
        "floors": floors,
        "height_m": np.round(floors * 3.4 + rng.uniform(0.3, 1.5, len(lots)), 1),
        "year_built": pd.array(built, dtype="Int64"),
        "address": lots.address,
        "ward_code": lots.ward_code,
        "sheet_no": lots.sheet_no,
        "parcel_no": lots.parcel_no,
        "geometry": footprints,
    })
    keep = ~shapely.is_missing(footprints)
    keep[keep] = shapely.area(footprints[keep]) >= MIN_FOOTPRINT_M2
    return frame[keep].reset_index(drop=True)


def _largest(shape: shapely.Geometry) -> shapely.Geometry | None:
    """The largest polygon of a shape (None when it has none)."""
    parts = [part for part in shapely.get_parts(shape) if part.geom_type == "Polygon" and not part.is_empty]
    return max(parts, key=lambda part: part.area) if parts else None


def _draw(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    return keys[rng.choice(len(keys), p=np.asarray(list(weights.values())) / sum(weights.values()))]
