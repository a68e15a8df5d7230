"""Lodging: hotels on their own sites, guesthouses and homestays in ordinary houses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

BRAND_HOTEL = ("Khách sạn Mường Thanh Grand Yên Bái", 160, 4)
WORDS = (
    "Hoa Ban",
    "Bình Minh",
    "Phương Đông",
    "Hoàng Long",
    "Thanh Bình",
    "Minh Anh",
    "Ngọc Lan",
    "Hương Sen",
    "Đức Thịnh",
    "An Bình",
    "Sao Mai",
    "Trường Xuân",
    "Hồng Nhung",
    "Thu Trang",
    "Kim Ngân",
    "Phú Quý",
    "Thành Đạt",
    "Tùng Lâm",
    "Hải Yến",
    "Gia Bảo",
    "Sông Hồng",
    "Yên Hòa",
    "Hồ Xanh",
    "Mây Chiều",
    "Ven Sông",
    "Bản Làng",
    "Đồi Chè",
    "Nắng Sớm",
    "Thảo Nguyên",
    "Lộc Phát",
    "Hưng Thịnh",
    "Mường Lò",
    "Suối Giàng",
    "Việt Hà",
    "Hà Anh",
    "Quỳnh Anh",
    "Đại Dương",
    "Hoàng Gia",
    "Thiên Ân",
    "Phúc Lâm",
    "Sơn Thủy",
    "Lạc Hồng",
    "Cát Tường",
    "Thanh Xuân",
    "Bảo Ngọc",
    "Minh Châu",
    "Ngọc Mai",
    "Tuấn Anh",
    "Tân Phú",
    "Vạn Xuân",
    "Kim Liên",
    "Thái Sơn",
    "Hoa Mai",
    "Thủy Tiên",
    "Ngân Hà",
    "Bạch Dương",
    "Phong Lan",
    "Trúc Xanh",
    "Nhà Sàn",
    "Vườn Quế",
)
PREFIX = {"hotel": "Khách sạn", "guesthouse": "Nhà nghỉ", "homestay": "Homestay"}
COUNTS = {"guesthouse": 30, "homestay": 15}
ROOMS = {"hotel": (20, 90), "guesthouse": (8, 25), "homestay": (3, 11)}
# Where guesthouses and homestays are: (block classes, land uses, street-front only)
PLACES = {
    "guesthouse": (("dense", "suburban"), ("ODT", "TMD"), True),
    "homestay": (("field", "hill", "suburban"), ("ONT", "ODT"), False),
}


def _houses(rng: np.random.Generator, parcels: pd.DataFrame, kind: str, n: int) -> pd.DataFrame:
    classes, uses, front = PLACES[kind]
    pool = parcels[parcels.cls.isin(classes) & parcels.land_use.isin(uses) & (parcels.site_id < 0)]
    if front:
        pool = pool[pool.row != "inner"]
    chosen = pool.iloc[np.sort(rng.choice(len(pool), size=n, replace=False))]
    return pd.DataFrame(
        {
            "kind": kind,
            "address": chosen.address.to_numpy(),
            "ward_code": chosen.ward_code.to_numpy(),
            "geometry": shapely.point_on_surface(chosen.geometry.to_numpy()),
        }
    )


def build_lodging(rng: np.random.Generator, points: pd.DataFrame, parcels: pd.DataFrame) -> pd.DataFrame:
    """15 hotels, 30 guesthouses and 15 homestays with rooms and (hotels only) stars."""
    hotels = points[points.kind == "hotel"][["kind", "address", "ward_code", "geometry"]]
    frame = pd.concat([hotels, *(_houses(rng, parcels, k, n) for k, n in COUNTS.items())], ignore_index=True)
    words = rng.permutation(np.asarray(WORDS, dtype=object))[: len(frame)]
    frame["name"] = [f"{PREFIX[k]} {w}" for k, w in zip(frame.kind, words, strict=True)]
    frame["rooms"] = [int(rng.integers(*ROOMS[k])) for k in frame.kind]
    frame["stars"] = pd.array(
        [int(rng.choice([1, 2, 2, 3, 3])) if k == "hotel" else None for k in frame.kind], dtype="Int64"
    )
    frame.loc[0, ["name", "rooms", "stars"]] = BRAND_HOTEL
    frame.insert(0, "code", [f"LOD-{n:03d}" for n in range(1, len(frame) + 1)])
    return frame.rename(columns={"kind": "lodging_type"})[
        ["code", "name", "address", "ward_code", "lodging_type", "rooms", "stars", "geometry"]
    ]
