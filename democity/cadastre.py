"""The cadastre: parcels tiling the blocks, numbered by map sheet within each commune."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from democity.addresses import parcel_addresses
from democity.admin import COMMUNE_BY_CODE
from democity.city import City
from democity.frame import FRAME
from democity.lots import land_uses, owner_types, subdivide
from democity.output import GRID_M

MIN_LOT_M2 = {"dense": 25.0, "suburban": 40.0, "field": 100.0, "hill": 150.0}
SHEET_M = {True: 500.0, False: 1000.0}  # sheet size: wards (1:1000) and communes (1:2000)
SNAP_M = 1e-6  # corners of a neighbour closer than this to an edge become vertices of that edge
COLUMNS = ["ward_code", "sheet_no", "parcel_no", "land_use", "address", "owner_type", "geometry"]


def _lots(rng: np.random.Generator, blocks: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    boxes, rows, owners = [], [], []
    for b in blocks.itertuples():
        rect, row = subdivide(rng, (b.u0, b.u1, b.v0, b.v1), bool(b.front_top), bool(b.front_bottom), b.cls)
        boxes.append(rect)
        rows.append(row)
        owners.append(np.full(len(rect), b.block_id))
    lots = pd.DataFrame(np.vstack(boxes), columns=["u0", "u1", "v0", "v1"])
    lots["row"], lots["block_id"], lots["site_id"] = np.concatenate(rows), np.concatenate(owners), -1
    site_lots = sites[["u0", "u1", "v0", "v1", "row", "block_id", "site_id"]]
    return pd.concat([lots, site_lots], ignore_index=True)


def _regions(pieces: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    """Each piece without the site rectangle of its block: the land left for ordinary lots."""
    regions = pieces.geometry.to_numpy().copy()
    site_rects = sites.set_index("block_id")
    has_site = pieces.block_id.isin(site_rects.index).to_numpy()
    for index in np.flatnonzero(has_site):
        s = site_rects.loc[pieces.block_id.iat[index]]
        regions[index] = regions[index].difference(shapely.box(s.u0, s.v0, s.u1, s.v1))
    return regions


def _clip(lots: pd.DataFrame, pieces: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Lots cut to the ward pieces of their block, split into single polygons."""
    lots = lots.reset_index(names="lot_id")
    pairs = lots.merge(pieces.drop(columns="geometry"), on="block_id")
    rects = shapely.box(*(pairs[c].to_numpy() for c in ("u0", "v0", "u1", "v1")))
    is_site = (pairs.site_id >= 0).to_numpy()
    site_block = pairs.block_id.isin(sites.block_id).to_numpy()
    direct = pairs.clean.to_numpy() & (is_site | ~site_block)
    regions = np.where(
        is_site, pieces.geometry.to_numpy()[pairs.piece_id], _regions(pieces, sites)[pairs.piece_id]
    )
    geoms = rects.copy()
    geoms[~direct] = shapely.intersection(rects[~direct], regions[~direct])
    parts, index = shapely.get_parts(geoms, return_index=True)
    parcels = pairs.iloc[index].reset_index(drop=True)
    parcels["geometry"] = parts
    return parcels[shapely.get_type_id(parts) == 3].reset_index(drop=True)


def _share_corners(geoms: np.ndarray) -> np.ndarray:
    """The parcels with every corner of a neighbour that lies on one of their edges as a vertex too.

    Lots are cut row by row, so a corner of one lot often lies inside an edge of the lot next to
    it (a T-junction). The edge is straight in the city frame; reprojected to EPSG:4326 its ends
    move a little differently from the corner in between, and the neighbours would overlap by
    slivers of up to 0.1 m². With the corner on both sides, neighbours share identical edges. The
    result is snapped to the output grid here (it stays there when written), which also removes the
    hair-thin spikes left by clipping that inserted corners could otherwise make self-intersecting.
    """
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=SNAP_M)
    keep = left != right
    left, right = left[keep], right[keep]
    order = np.argsort(left, kind="stable")
    neighbours = shapely.geometrycollections(
        geoms[right[order]], indices=left[order], out=np.full(len(geoms), None, dtype=object)
    )
    alone = shapely.is_missing(neighbours)
    snapped = np.where(alone, geoms, shapely.snap(geoms, neighbours, SNAP_M))
    return shapely.set_precision(snapped, GRID_M)


def _number(parcels: pd.DataFrame) -> pd.DataFrame:
    """Sheet numbers per commune (map sheets on the UTM grid) and parcel numbers per sheet."""
    centroids = shapely.centroid(parcels.geometry.to_numpy())
    x, y = FRAME.uv_to_xy(shapely.get_x(centroids), shapely.get_y(centroids))
    size = parcels.ward_code.map(lambda c: SHEET_M[COMMUNE_BY_CODE[c].urban]).to_numpy()
    keys = pd.DataFrame(
        {
            "ward_code": parcels.ward_code,
            "row": np.floor(-y / size).astype(int),
            "col": np.floor(x / size).astype(int),
            "band": np.floor(-y / 25.0).astype(int),
            "x": x,
        }
    )
    sheets = keys[["ward_code", "row", "col"]].drop_duplicates().sort_values(["ward_code", "row", "col"])
    sheets["sheet_no"] = sheets.groupby("ward_code").cumcount() + 1
    keys = keys.merge(sheets, on=["ward_code", "row", "col"], how="left")
    keys.index = parcels.index
    order = keys.sort_values(["ward_code", "sheet_no", "band", "x"]).index
    parcels = parcels.assign(sheet_no=keys.sheet_no).loc[order].reset_index(drop=True)
    parcels["parcel_no"] = parcels.groupby(["ward_code", "sheet_no"]).cumcount() + 1
    parcels["u"], parcels["v"] = shapely.get_x(centroids[order]), shapely.get_y(centroids[order])
    return parcels


def build_parcels(rng: np.random.Generator, city: City, sites: pd.DataFrame) -> pd.DataFrame:
    """Every parcel with its public columns (COLUMNS) and the block, row and site it comes from."""
    parcels = _clip(_lots(rng, city.blocks, sites), city.pieces, sites)
    blocks = city.blocks.set_index("block_id")
    parcels["cls"] = blocks.cls.reindex(parcels.block_id).to_numpy()
    big_enough = shapely.area(parcels.geometry.to_numpy()) >= parcels.cls.map(MIN_LOT_M2).to_numpy()
    parcels = parcels[big_enough].reset_index(drop=True)
    parcels["geometry"] = _share_corners(parcels.geometry.to_numpy())
    urban = parcels.ward_code.map(lambda c: COMMUNE_BY_CODE[c].urban).to_numpy(dtype=bool)
    parcels["land_use"] = land_uses(rng, parcels.cls.to_numpy(), parcels.row.to_numpy(), urban)
    parcels["owner_type"] = owner_types(rng, parcels.land_use.to_numpy())
    on_site = parcels.site_id.to_numpy() >= 0
    site_attrs = sites.set_index("site_id").loc[parcels.site_id[on_site], ["land_use", "owner_type"]]
    parcels.loc[on_site, ["land_use", "owner_type"]] = site_attrs.to_numpy()
    parcels = _number(parcels)
    parcels["address"] = parcel_addresses(parcels, city)
    return parcels
