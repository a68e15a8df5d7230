"""The demo city's line water: the Red River's and the streams' centrelines, and a few irrigation canals
and ditches through the rural land."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from democity.names import slug

if TYPE_CHECKING:
    from democity.layers import Context

# (name, kind, from u/v, to u/v, width in metres): canals and ditches through the rural land
IRRIGATION = (
    ("Kênh Tuy Lộc", "canal", (-5200.0, -2200.0), (-2900.0, -3200.0), 5.0),
    ("Kênh Giới Phiên", "canal", (-2500.0, 2000.0), (-600.0, 3300.0), 4.0),
    ("Mương Minh Bảo", "ditch", (-1200.0, -4000.0), (600.0, -4700.0), 1.5),
    ("Mương Văn Phú", "ditch", (4200.0, -3600.0), (5600.0, -2600.0), 1.5),
)


def waterways(ctx: Context) -> pd.DataFrame:
    """The Red River's centreline, the streams' and the irrigation canals and ditches, in the city."""
    geo = ctx.city.geo
    u = np.arange(-9000.0, 9501.0, 50.0)
    river = LineString(np.column_stack([u, geo.river.centre(u)])).intersection(geo.outline)
    rows = [{"code": "SONG-HONG", "name": "Sông Hồng", "waterway_kind": "river",
             "width_m": float(np.round(geo.river.width(u).mean())), "geometry": river}]
    rows += [{"code": slug(name), "name": name, "waterway_kind": "stream", "width_m": width,
              "geometry": line.difference(geo.river_surface).intersection(geo.outline)}
             for name, line, width in geo.streams]
    dry = ctx.city.zones.rural.difference(shapely.union_all(geo.still_and_streams()))
    rows += [{"code": slug(name), "name": name, "waterway_kind": kind, "width_m": width,
              "geometry": LineString([start, end]).intersection(dry)}
             for name, kind, start, end, width in IRRIGATION]
    frame = pd.DataFrame(rows)
    return frame[~shapely.is_empty(frame.geometry.to_numpy())].reset_index(drop=True)
