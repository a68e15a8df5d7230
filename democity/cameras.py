"""Traffic cameras at street crossings of the centre, each looking along one of the streets."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from democity.admin import COMMUNE_BY_CODE
from democity.city import City
from democity.frame import FRAME
from democity.names import street_address_name

COUNT = 40
MIN_SPACING_M = 250.0
STATUS_COUNTS = {"offline": 3, "maintenance": 3}  # the rest are online
DOWN_DAYS = {"offline": (2, 20), "maintenance": (1, 3)}  # days since a camera stopped sending
MAJOR = ("urban_main", "national")


def _crossings(city: City) -> pd.DataFrame:
    grid = city.grids["core"]
    i, j = np.meshgrid(np.arange(1, len(grid.u) - 1), np.arange(1, len(grid.v) - 1), indexing="ij")
    i, j = i.ravel(), j.ravel()
    frame = pd.DataFrame(
        {
            "i": i,
            "j": j,
            "u": grid.u[i],
            "v": grid.v[j],
            "u_plus": grid.v_seg[j, i],
            "u_minus": grid.v_seg[j, i - 1],
            "v_plus": grid.u_seg[i, j],
            "v_minus": grid.u_seg[i, j - 1],
        }
    )
    frame["bank"] = np.where(frame.v > city.geo.river.centre(frame.u.to_numpy()), "left", "right")
    core = shapely.union(city.zones.core_right, city.zones.core_left)
    obstacles = shapely.union_all([*city.zones.corridors.values(), *city.geo.still_and_streams()])
    on_land = shapely.contains_xy(core, frame.u, frame.v) & ~shapely.contains_xy(obstacles, frame.u, frame.v)
    names = city.street_names
    frame["street_u"] = [names.get(("core", "u", a, b)) for a, b in zip(frame.i, frame.bank, strict=True)]
    frame["street_v"] = [names.get(("core", "v", a, b)) for a, b in zip(frame.j, frame.bank, strict=True)]
    crossing = (frame.u_plus | frame.u_minus) & (frame.v_plus | frame.v_minus)
    frame = frame[on_land & crossing & frame.street_u.notna() & frame.street_v.notna()].reset_index(drop=True)
    major = np.isin(grid.u_class[frame.i], MAJOR).astype(int) + np.isin(grid.v_class[frame.j], MAJOR)
    frame["weight"] = np.array([0.3, 2.0, 5.0])[major]
    return frame


def _choose(rng: np.random.Generator, crossings: pd.DataFrame) -> pd.DataFrame:
    order = rng.choice(
        len(crossings), size=len(crossings), replace=False, p=crossings.weight / crossings.weight.sum()
    )
    chosen: list[int] = []
    for k in order:
        near = [np.hypot(crossings.u[k] - crossings.u[c], crossings.v[k] - crossings.v[c]) for c in chosen]
        if not near or min(near) >= MIN_SPACING_M:
            chosen.append(int(k))
        if len(chosen) == COUNT:
            break
    return crossings.iloc[chosen].reset_index(drop=True)


def _views(
    rng: np.random.Generator, chosen: pd.DataFrame, city: City
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Camera positions (a corner of the crossing) and the direction (du, dv) each looks along."""
    directions = {"u_plus": (1.0, 0.0), "u_minus": (-1.0, 0.0), "v_plus": (0.0, 1.0), "v_minus": (0.0, -1.0)}
    grid = city.grids["core"]
    du, dv, points = [], [], []
    for c in chosen.itertuples():
        open_ways = [d for d in directions if getattr(c, d)]
        way = directions[open_ways[int(rng.integers(len(open_ways)))]]
        du.append(way[0])
        dv.append(way[1])
        su, sv = rng.choice([-1.0, 1.0], 2)
        points.append(
            Point(c.u + su * (grid.u_width[c.i] / 2 + 1.5), c.v + sv * (grid.v_width[c.j] / 2 + 1.5))
        )
    return np.asarray(points, dtype=object), np.array(du), np.array(dv)


def _plain(name: str) -> str:
    return name.removeprefix("Đường ")


def build_cameras(rng: np.random.Generator, city: City, today: date) -> pd.DataFrame:
    """40 cameras with viewing cone, stream URL and status; `down_days` says how long they are down."""
    chosen = _choose(rng, _crossings(city))
    points, du, dv = _views(rng, chosen, city)
    wards = city.ward_of(shapely.get_x(points), shapely.get_y(points))
    status = np.array(["online"] * COUNT, dtype=object)
    down = rng.choice(COUNT, size=sum(STATUS_COUNTS.values()), replace=False)
    status[down] = np.repeat(list(STATUS_COUNTS), list(STATUS_COUNTS.values()))
    down_days = np.array([rng.integers(*DOWN_DAYS[s]) if s in DOWN_DAYS else 0 for s in status])
    installed = np.datetime64("2021-03-01") + rng.integers(0, 1400, COUNT).astype("timedelta64[D]")
    installed = np.minimum(installed, np.datetime64(today) - np.timedelta64(120, "D"))
    a, b = chosen.street_v.to_numpy(), chosen.street_u.to_numpy()
    return pd.DataFrame(
        {
            "code": [f"CAM-{n:03d}" for n in range(1, COUNT + 1)],
            "name": [f"Camera nút giao {_plain(x)} – {_plain(y)}" for x, y in zip(a, b, strict=True)],
            "address": [
                f"Nút giao {street_address_name(x)} – {street_address_name(y)}, {COMMUNE_BY_CODE[w].label}"
                for x, y, w in zip(a, b, wards, strict=True)
            ],
            "ward_code": wards,
            "bearing_deg": ((FRAME.bearing_of(du, dv) + rng.uniform(-4.0, 4.0, COUNT)) % 360.0).round(1),
            "fov_deg": rng.integers(50, 91, COUNT).astype(float),
            "range_m": rng.integers(60, 141, COUNT).astype(float),
            "stream_url": [f"rtsp://10.15.0.{n}/stream1" for n in range(11, COUNT + 11)],
            "status": status,
            "installed_on": np.datetime_as_string(installed, unit="D"),
            "down_days": down_days,
            "geometry": points,
        }
    )
