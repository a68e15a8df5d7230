"""Where events happen: points along roads, in houses, or in a camera's field of view."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from democity.frame import FRAME

ROAD_WEIGHT = {"national": 4.0, "provincial": 2.0, "urban_main": 3.0, "urban": 1.5, "alley": 0.5}


def on_roads(rng: np.random.Generator, roads: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n points on roads (busy roads more often) and the index of the road each is on."""
    geoms = roads.geometry.to_numpy()
    weight = shapely.length(geoms) * roads.road_class.map(ROAD_WEIGHT).to_numpy()
    which = rng.choice(len(roads), size=n, p=weight / weight.sum())
    points = shapely.line_interpolate_point(geoms[which], rng.random(n), normalized=True)
    return points, which


def in_parcels(
    rng: np.random.Generator, parcels: pd.DataFrame, n: int, uses: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """n points inside random parcels of the given land uses, and the index of each parcel."""
    pool = np.flatnonzero(parcels.land_use.isin(uses).to_numpy())
    which = pool[rng.integers(0, len(pool), n)]
    return shapely.point_on_surface(parcels.geometry.to_numpy()[which]), which


def in_view(
    rng: np.random.Generator, cameras: pd.DataFrame, which: np.ndarray, near: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """(u, v) of points in the viewing cones of cameras `which`: within ± fov/2 and the range."""
    cam = cameras.iloc[which]
    half = cam.fov_deg.to_numpy() / 2.0
    bearing = cam.bearing_deg.to_numpy() + rng.uniform(-half, half)
    reach = cam.range_m.to_numpy()
    distance = np.maximum(near, reach * np.sqrt(rng.uniform(0.0025, 1.0, len(which))))
    du, dv = FRAME.direction_of(bearing)
    x, y = shapely.get_x(cam.geometry.to_numpy()), shapely.get_y(cam.geometry.to_numpy())
    return x + du * distance, y + dv * distance
