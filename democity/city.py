"""The demo city's shared geometry, built once: land, water, wards, streets and blocks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon

from democity.admin import admin_units, commune_polygons
from democity.blocks import Zones, build_blocks, build_zones, split_by_ward
from democity.geography import Geography, build_geography
from democity.grid import Grid
from democity.rng import stream
from democity.streets import build_grids, build_roads, side_names


@dataclass
class City:
    """Everything later generators place things on (frame coordinates, metres)."""

    geo: Geography
    zones: Zones
    communes: dict[str, Polygon]  # pre-2025 commune code → polygon
    admin: pd.DataFrame
    grids: dict[str, Grid]
    roads: pd.DataFrame
    street_names: dict[tuple[str, str, int, str], str]
    blocks: pd.DataFrame
    pieces: pd.DataFrame

    def ward_of(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Pre-2025 commune code at each point ('' outside the city)."""
        out = np.full(len(u), "", dtype=object)
        for code, polygon in self.communes.items():
            out[(out == "") & shapely.contains_xy(polygon, u, v)] = code
        return out


def build_city(seed: int) -> City:
    """The city of a seed: the same seed always gives the same city."""
    geo = build_geography(stream(seed, "geography"))
    communes = commune_polygons(geo)
    for polygon in communes.values():
        shapely.prepare(polygon)
    admin = admin_units(stream(seed, "admin"), geo, communes)
    zones = build_zones(stream(seed, "zones"), geo)
    grids = build_grids(stream(seed, "grids"))
    roads = build_roads(grids, zones, geo, communes)
    blocks = build_blocks(stream(seed, "blocks"), grids, zones, geo)
    pieces = split_by_ward(blocks, communes)
    return City(geo, zones, communes, admin, grids, roads, side_names(roads, grids), blocks, pieces)
