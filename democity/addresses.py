"""Parcel addresses: house numbers along streets, lanes (ngõ) inside blocks, villages outside town."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from democity.admin import COMMUNE_BY_CODE
from democity.names import RIVERSIDE_ROADS, street_address_name

if TYPE_CHECKING:
    from democity.city import City

RIVERSIDE_REACH_M = 45.0


def _side_street(city: City, axis_offset: int, front: str, river_bank: str) -> np.ndarray:
    """Street name on the top (offset 1) or bottom (offset 0) side of each core block, or None."""
    b = city.blocks
    out = np.full(len(b), None, dtype=object)
    for n, block in enumerate(b.itertuples()):
        if block.grid == "core" and getattr(block, front):
            out[n] = city.street_names.get(("core", "v", int(block.j) + axis_offset, block.bank))
    corridor = city.zones.corridors[river_bank]
    near = (b.grid == "core").to_numpy() & (b.bank == river_bank).to_numpy()
    near &= shapely.dwithin(b.geometry.to_numpy(), corridor, RIVERSIDE_REACH_M)
    out[near & pd.isna(out)] = f"Đường {RIVERSIDE_ROADS[river_bank]}"
    return out


def _lane_street(city: City, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    out = np.where(pd.isna(top), bottom, top)
    for n, block in enumerate(city.blocks.itertuples()):
        if out[n] is None and block.grid == "core":
            names = city.street_names
            out[n] = names.get(("core", "u", int(block.i), block.bank)) or names.get(
                ("core", "u", int(block.i) + 1, block.bank)
            )
    return out


def _villages(city: City, parcels: pd.DataFrame) -> np.ndarray:
    b = city.blocks.set_index("block_id").reindex(parcels.block_id)
    keys = pd.DataFrame(
        {"ward": parcels.ward_code.to_numpy(), "a": (b.i // 2).to_numpy(), "b": (b.j // 2).to_numpy()}
    )
    groups = keys.drop_duplicates().sort_values(["ward", "b", "a"], ascending=[True, False, True])
    groups["village"] = groups.groupby("ward").cumcount() + 1
    return keys.merge(groups, on=["ward", "a", "b"], how="left").village.to_numpy()


def _house_numbers(street: np.ndarray, row: np.ndarray, u: np.ndarray) -> np.ndarray:
    frame = pd.DataFrame({"street": street, "row": row, "u": u})
    fronted = frame[frame.street.notna()].sort_values(["street", "row", "u"])
    rank = fronted.groupby(["street", "row"]).cumcount().to_numpy()
    numbers = pd.Series(2 * rank + np.where(fronted.row == "top", 1, 2), index=fronted.index)
    return numbers.reindex(frame.index).to_numpy()


def parcel_addresses(parcels: pd.DataFrame, city: City) -> np.ndarray:
    """'Số 12, đường Nguyễn Thái Học, phường Hồng Hà', 'Số 3, ngõ 48, …' or 'Thôn 2, xã Tuy Lộc'."""
    top = _side_street(city, 1, "front_top", "right")
    bottom = _side_street(city, 0, "front_bottom", "left")
    lane = _lane_street(city, top, bottom)
    at = pd.Index(city.blocks.block_id).get_indexer(parcels.block_id)
    row = parcels.row.to_numpy()
    street = np.where(row == "top", top[at], np.where(row == "bottom", bottom[at], None))
    number = _house_numbers(street, row, parcels.u.to_numpy())
    frame = pd.DataFrame(
        {
            "block": parcels.block_id,
            "lane": lane[at],
            "number": number,
            "v": -parcels.v.round(),
            "u": parcels.u,
        }
    )
    on_lane = np.array([s is not None and s == name for s, name in zip(street, lane[at], strict=True)])
    lane_no = frame[on_lane].groupby("block").number.median()
    fallback = frame.block * 2 % 300 + 2  # blocks without numbered houses on their lane street
    frame["lane_no"] = frame.block.map(lane_no).fillna(fallback).round().astype(int)
    inner = np.isnan(number.astype(float)) & frame.lane.notna().to_numpy()
    frame["k"] = frame.sort_values(["block", "v", "u"]).groupby("block").cumcount() + 1
    villages = _villages(city, parcels)
    out = []
    for n, ward in enumerate(parcels.ward_code):
        commune = COMMUNE_BY_CODE[ward]
        if street[n] is not None:
            place = f"Số {int(number[n])}, {street_address_name(street[n])}"
        elif inner[n]:
            place = f"Số {frame.k.iat[n]}, ngõ {frame.lane_no.iat[n]}, {street_address_name(lane[at[n]])}"
        else:
            place = f"{'Tổ dân phố' if commune.urban else 'Thôn'} {villages[n]}"
        out.append(f"{place}, {commune.label}")
    return np.asarray(out, dtype=object)
