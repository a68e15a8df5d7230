"""Urban zones and city blocks: grid cells clipped to the land and split at ward boundaries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon

from democity.geography import Geography, blob, largest_part
from democity.grid import Grid, cells

DOWNTOWN = {
    "right": (700.0, -1100.0, 1.7, 620.0),
    "left": (900.0, 450.0, 1.0, 330.0),
}  # u, v, stretch, radius
SUBURB_REACH = 1.9  # suburbs reach this many downtown radii; farther core blocks are farmland
RIVERSIDE_OFFSET_M, CORRIDOR_M = 25.0, 38.0
MIN_PIECE_M2 = 40.0


@dataclass(frozen=True)
class Zones:
    """The built-up cores on each bank, the rural rest, and the riverside road corridors."""

    core_right: Polygon
    core_left: Polygon
    rural: shapely.Geometry
    corridors: dict[str, Polygon]

    def core(self, bank: str) -> Polygon:
        """The built-up core of a bank ('left' or 'right')."""
        return self.core_left if bank == "left" else self.core_right


def _corridor(geo: Geography, core: Polygon, side: str) -> Polygon:
    u_min, _, u_max, _ = core.bounds
    u = np.arange(u_min, u_max + 50.0, 50.0)
    near, far = geo.river.bank(u, side, -5.0), geo.river.bank(u, side, CORRIDOR_M)
    band = Polygon(np.concatenate([np.column_stack([u, near]), np.column_stack([u, far])[::-1]]))
    return largest_part(band.intersection(core))


def build_zones(rng: np.random.Generator, geo: Geography) -> Zones:
    """The cores of the right bank (the old town) and of the left bank, and the rural remainder."""
    river = geo.river_surface
    right = blob(rng, (450.0, -1450.0), (2900.0, 1550.0), squareness=3.2, wobble=0.07)
    left = blob(rng, (1000.0, 600.0), (1200.0, 650.0), squareness=3.2, wobble=0.07)
    core_right = largest_part(right.intersection(geo.right_half).difference(river))
    core_left = largest_part(left.intersection(geo.left_half).difference(river))
    rural = geo.outline.difference(core_right).difference(core_left).difference(river)
    corridors = {"right": _corridor(geo, core_right, "right"), "left": _corridor(geo, core_left, "left")}
    return Zones(core_right, core_left, rural, corridors)


def _clip_cells(grid: Grid, zone: shapely.Geometry) -> pd.DataFrame:
    frame = cells(grid)
    frame = frame[(frame.u1 - frame.u0 > 15.0) & (frame.v1 - frame.v0 > 15.0)].reset_index(drop=True)
    rects = shapely.box(*(frame[c].to_numpy() for c in ("u0", "v0", "u1", "v1")))
    shapely.prepare(zone)
    touching = shapely.intersects(zone, rects)
    frame, rects = frame[touching].reset_index(drop=True), rects[touching]
    inside = shapely.contains(zone, rects)
    geoms = rects.copy()
    geoms[~inside] = shapely.intersection(rects[~inside], zone)
    frame["geometry"] = geoms
    return frame


def _cut_obstacles(geoms: np.ndarray, obstacles: list[Polygon]) -> np.ndarray:
    tree = shapely.STRtree(obstacles)
    block_index, obstacle_index = tree.query(geoms, predicate="intersects")
    out = geoms.copy()
    for b in np.unique(block_index):
        hit = shapely.union_all(np.asarray(obstacles, dtype=object)[obstacle_index[block_index == b]])
        out[b] = out[b].difference(hit)
    return out


def _classify(rng: np.random.Generator, frame: pd.DataFrame, geo: Geography) -> np.ndarray:
    uc, vc = (frame.u0 + frame.u1).to_numpy() / 2, (frame.v0 + frame.v1).to_numpy() / 2
    noise = rng.normal(0.0, 150.0, len(frame))
    cls = np.where(np.abs(vc - geo.river.centre(uc)) + noise < 1700.0, "field", "hill").astype(object)
    for bank, (u0, v0, stretch, radius) in DOWNTOWN.items():
        core = (frame.grid == "core").to_numpy() & (frame.bank == bank).to_numpy()
        distance = np.hypot((uc - u0) / stretch, vc - v0) + noise
        cls[core] = np.where(
            distance[core] < radius,
            "dense",
            np.where(distance[core] < radius * SUBURB_REACH, "suburban", "field"),
        )
    return cls


def build_blocks(
    rng: np.random.Generator, grids: dict[str, Grid], zones: Zones, geo: Geography
) -> pd.DataFrame:
    """City blocks: cells of both grids inside their zone, without water or riverside corridors."""
    frame = pd.concat(
        [
            _clip_cells(grids["core"], shapely.union(zones.core_right, zones.core_left)),
            _clip_cells(grids["rural"], zones.rural),
        ],
        ignore_index=True,
    )
    obstacles = [*geo.still_and_streams(), *zones.corridors.values()]
    frame["geometry"] = _cut_obstacles(frame.geometry.to_numpy(), obstacles)
    uc = (frame.u0 + frame.u1).to_numpy() / 2
    vc = (frame.v0 + frame.v1).to_numpy() / 2
    frame["bank"] = np.where(vc > geo.river.centre(uc), "left", "right")
    frame["cls"] = _classify(rng, frame, geo)
    frame = frame[shapely.area(frame.geometry.to_numpy()) >= MIN_PIECE_M2].reset_index(drop=True)
    frame.insert(0, "block_id", np.arange(len(frame)))
    return frame


def split_by_ward(blocks: pd.DataFrame, communes: dict[str, Polygon]) -> pd.DataFrame:
    """Pieces of blocks, each inside one commune; `clean` marks untouched whole rectangles."""
    codes = np.asarray(list(communes), dtype=object)
    wards = np.asarray(list(communes.values()), dtype=object)
    shapely.prepare(wards)
    geoms = blocks.geometry.to_numpy()
    bi, wi = shapely.STRtree(wards).query(geoms, predicate="intersects")
    single = np.bincount(bi, minlength=len(blocks))[bi] == 1
    whole = single & shapely.contains(wards[wi], geoms[bi])
    pieces = geoms[bi].copy()
    pieces[~whole] = shapely.intersection(geoms[bi][~whole], wards[wi][~whole])
    parts, index = shapely.get_parts(pieces, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= MIN_PIECE_M2)
    parts, index = parts[keep], index[keep]
    block_of = bi[index]
    rect_area = ((blocks.u1 - blocks.u0) * (blocks.v1 - blocks.v0)).to_numpy()[block_of]
    n_parts = np.bincount(block_of, minlength=len(blocks))[block_of]
    clean = (n_parts == 1) & np.isclose(shapely.area(parts), rect_area, rtol=1e-9)
    return pd.DataFrame(
        {
            "piece_id": np.arange(len(parts)),
            "block_id": block_of,
            "ward_code": codes[wi[index]],
            "clean": clean,
            "geometry": parts,
        }
    )
