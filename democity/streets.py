"""The street network: the two grids, national and provincial roads, riverside roads and bridges."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString

from democity.admin import COMMUNE_BY_CODE
from democity.blocks import DOWNTOWN, RIVERSIDE_OFFSET_M, Zones
from democity.geography import Geography
from democity.grid import WIDTH_M, Grid, GridSpec, make_grid, straight_line
from democity.names import RIVERSIDE_ROADS, STREET_NAMES

U_QL37, U_CENTRE, U_WEST, U_DT151 = 3000.0, 300.0, -3950.0, -1500.0
V_QL70, V_QL32C = 1150.0, -3000.0
# (axis, position, name, bridge name): roads that cross the whole city and keep one name.
THROUGH_ROADS = (
    ("u", U_QL37, "national", "Quốc lộ 37", "Cầu Tuần Quán"),
    ("v", V_QL70, "national", "Quốc lộ 70", None),
    ("v", V_QL32C, "national", "Quốc lộ 32C", None),
)
NAMED_RURAL = {U_WEST: ("Đường tỉnh 163", "Cầu Văn Phú"), U_DT151: ("Đường tỉnh 151", None)}
CENTRE_BRIDGE = "Cầu Yên Bái"

GRID_SPECS = (
    GridSpec(
        "core",
        (-3800.0, 4600.0),
        (-3900.0, 1900.0),
        190.0,
        118.0,
        "urban",
        forced_u={U_QL37: "national", U_CENTRE: "urban_main"},
        forced_v={V_QL70: "national", V_QL32C: "national"},
        main_every=4,
    ),
    GridSpec(
        "rural",
        (-7000.0, 8000.0),
        (-6600.0, 5300.0),
        470.0,
        420.0,
        "alley",
        forced_u={U_QL37: "national", U_WEST: "provincial", U_DT151: "provincial"},
        forced_v={V_QL70: "national", V_QL32C: "national"},
    ),
)


def build_grids(rng: np.random.Generator) -> dict[str, Grid]:
    """The dense grid of the built-up cores and the loose grid of the countryside."""
    return {spec.name: make_grid(rng, spec) for spec in GRID_SPECS}


def _lines_only(geometry: shapely.Geometry, min_length: float = 30.0) -> MultiLineString:
    parts = [
        p
        for p in shapely.get_parts(
            shapely.line_merge(geometry) if geometry.geom_type == "MultiLineString" else geometry
        )
        if p.geom_type == "LineString" and p.length >= min_length
    ]
    return MultiLineString(parts)


def _grid_records(
    grid: Grid, zones_by_bank: dict[str, shapely.Geometry], cut: shapely.Geometry
) -> list[dict]:
    records = []
    for axis, classes in (("u", grid.u_class), ("v", grid.v_class)):
        for k, road_class in enumerate(classes):
            line = grid.line(axis, k)
            if road_class == "national" or line.is_empty:
                continue
            for bank, zone in zones_by_bank.items():
                geometry = _lines_only(line.intersection(zone).difference(cut))
                if not geometry.is_empty:
                    records.append(
                        {
                            "grid": grid.name,
                            "axis": axis,
                            "k": k,
                            "bank": bank,
                            "road_class": road_class,
                            "geometry": geometry,
                        }
                    )
    return records


def _name_core(records: list[dict]) -> None:
    rank = {"urban_main": 0, "urban": 1, "alley": 2}
    u0, v0 = DOWNTOWN["right"][:2]

    def order(r: dict) -> tuple[int, float]:
        mid = r["geometry"].interpolate(0.5, normalized=True)
        return rank[r["road_class"]], float(np.hypot(mid.x - u0, mid.y - v0))

    names = iter(STREET_NAMES)
    for n, record in enumerate(sorted(records, key=order), start=1):
        record["name"] = f"Đường {next(names, f'số {n}')}"


def _name_rural(records: list[dict], communes: dict[str, shapely.Geometry]) -> None:
    counter: Counter[str] = Counter()
    codes, polygons = list(communes), list(communes.values())
    for record in records:
        k_pos = record["position"]
        if k_pos in NAMED_RURAL:
            record["name"] = NAMED_RURAL[k_pos][0]
            continue
        mid = record["geometry"].interpolate(0.5, normalized=True)
        code = next((c for c, p in zip(codes, polygons, strict=True) if p.covers(mid)), codes[0])
        commune = COMMUNE_BY_CODE[code].name
        counter[commune] += 1
        record["name"] = f"Đường liên thôn {commune} {counter[commune]}"


def _through_roads(geo: Geography, cut: shapely.Geometry) -> list[dict]:
    records = []
    for axis, at, road_class, name, bridge in THROUGH_ROADS:
        line = straight_line(axis, at, (-9000.0, 9000.0)).intersection(geo.outline)
        records.append(
            {
                "axis": axis,
                "position": at,
                "road_class": road_class,
                "name": name,
                "geometry": _lines_only(line.difference(cut)),
            }
        )
        if bridge:
            records.append(_bridge(line, geo, bridge, road_class))
    return records


def _bridge(line: shapely.Geometry, geo: Geography, name: str, road_class: str) -> dict:
    span = _lines_only(line.intersection(geo.river_surface), 1.0)
    return {"axis": "bridge", "road_class": road_class, "name": name, "geometry": span, "width": 18.0}


def _riverside(geo: Geography, zones: Zones) -> list[dict]:
    records = []
    for bank, name in RIVERSIDE_ROADS.items():
        core = zones.core(bank)
        u_min, _, u_max, _ = core.bounds
        u = np.arange(u_min, u_max + 25.0, 25.0)
        line = LineString(np.column_stack([u, geo.river.bank(u, bank, RIVERSIDE_OFFSET_M)]))
        geometry = _lines_only(line.intersection(zones.corridors[bank]))
        records.append(
            {
                "axis": "river",
                "bank": bank,
                "road_class": "urban_main",
                "name": f"Đường {name}",
                "geometry": geometry,
                "width": 16.0,
            }
        )
    return records


def build_roads(
    grids: dict[str, Grid], zones: Zones, geo: Geography, communes: dict[str, shapely.Geometry]
) -> pd.DataFrame:
    """Every road feature (frame coordinates), with the grid line each comes from."""
    lakes = [w.geometry for w in geo.water if w.water_type == "lake"]
    cut = shapely.union_all([geo.river_surface, *lakes])
    core = _grid_records(grids["core"], {"right": zones.core_right, "left": zones.core_left}, cut)
    _name_core(core)
    rural_zone = {
        "right": zones.rural.intersection(geo.right_half),
        "left": zones.rural.intersection(geo.left_half),
    }
    rural = _grid_records(grids["rural"], rural_zone, cut)
    for record in rural:
        record["position"] = float(
            (grids["rural"].u if record["axis"] == "u" else grids["rural"].v)[record["k"]]
        )
    _name_rural(rural, communes)
    bridges = [
        _bridge(straight_line("u", U_CENTRE, (-2000.0, 2000.0)), geo, CENTRE_BRIDGE, "urban_main"),
        _bridge(straight_line("u", U_WEST, (-2000.0, 2000.0)), geo, NAMED_RURAL[U_WEST][1], "provincial"),
    ]
    records = [*_through_roads(geo, cut), *bridges, *_riverside(geo, zones), *core, *rural]
    frame = pd.DataFrame(records)
    frame = frame[~shapely.is_empty(frame.geometry.to_numpy())].reset_index(drop=True)
    widths = frame.road_class.map(WIDTH_M)
    frame["width_m"] = frame["width"].fillna(widths) if "width" in frame else widths
    frame.insert(0, "code", [f"RD-{n:04d}" for n in range(1, len(frame) + 1)])
    return frame.drop(columns=["width", "position"], errors="ignore")


def side_names(roads: pd.DataFrame, grids: dict[str, Grid]) -> dict[tuple[str, str, int, str], str]:
    """Street name of every (grid, axis, line index, bank), national roads included."""
    names = {
        (r.grid, r.axis, int(r.k), r.bank): r.name for r in roads.itertuples() if isinstance(r.grid, str)
    }
    for grid in grids.values():
        for axis, at, _, name, _ in THROUGH_ROADS:
            positions = grid.u if axis == "u" else grid.v
            for k in np.flatnonzero(np.isclose(positions, at)):
                names[(grid.name, axis, int(k), "left")] = names[(grid.name, axis, int(k), "right")] = name
    return names
