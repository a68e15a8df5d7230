"""Security and safety incidents of the last 90 days, with daily rhythms and a handling workflow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from democity.city import City
from democity.names import street_address_name
from democity.places import in_parcels, in_view, on_roads
from democity.rng import choose
from democity.timeline import DAY_S, Window

COUNT = 2000
# category → (share, hourly rhythm, where: road | house | camera, severity shares low/medium/high/critical)
CATEGORIES = {
    "traffic_accident": (34, "traffic", "road", (45, 35, 15, 5)),
    "public_order": (20, "evening", "road", (55, 35, 9, 1)),
    "infrastructure": (14, "office", "road", (40, 40, 17, 3)),
    "crime": (10, "night", "house", (25, 45, 25, 5)),
    "fire": (7, "flat", "house", (20, 40, 30, 10)),
    "flood": (8, "flat", "house", (20, 40, 30, 10)),
    "intrusion": (7, "night", "camera", (50, 35, 13, 2)),
}
SEVERITIES = ("low", "medium", "high", "critical")
MEDIAN_HOURS = {"low": 30.0, "medium": 12.0, "high": 5.0, "critical": 3.0}
# category → (share reported by a camera, other sources and their shares)
SOURCES = {
    "traffic_accident": (0.2, {"hotline_113": 45, "patrol": 30, "citizen_app": 25}),
    "public_order": (0.1, {"hotline_113": 40, "patrol": 35, "citizen_app": 25}),
    "intrusion": (0.7, {"patrol": 60, "hotline_113": 40}),
}
OTHER_SOURCES = {"hotline_114": 35, "hotline_113": 25, "patrol": 20, "citizen_app": 20}
TITLES = {
    "traffic_accident": (
        "Va chạm giữa xe máy và ô tô trên {place}",
        "Tai nạn giao thông giữa hai xe máy trên {place}",
        "Xe tải va chạm xe máy trên {place}",
        "Xe ô tô tự gây tai nạn trên {place}",
    ),
    "public_order": (
        "Tụ tập gây mất trật tự trên {place}",
        "Đánh nhau gây mất trật tự trên {place}",
        "Lấn chiếm lòng đường gây ùn tắc trên {place}",
        "Đua xe trái phép trên {place}",
    ),
    "infrastructure": (
        "Đèn tín hiệu giao thông hỏng trên {place}",
        "Sụt lún mặt đường trên {place}",
        "Vỡ ống cấp nước trên {place}",
        "Cây đổ chắn đường trên {place}",
        "Đứt dây điện trên {place}",
    ),
    "crime": (
        "Trộm cắp tài sản tại {place}",
        "Cướp giật tài sản tại {place}",
        "Trộm xe máy tại {place}",
        "Phát hiện đối tượng tàng trữ ma túy tại {place}",
    ),
    "fire": ("Cháy nhà dân tại {place}", "Cháy cửa hàng tại {place}", "Chập điện gây cháy tại {place}"),
    "flood": (
        "Ngập úng cục bộ tại {place}",
        "Sạt lở taluy dương gần {place}",
        "Nước tràn vào nhà dân tại {place}",
    ),
    "intrusion": ("Xâm nhập khu vực hạn chế tại {place}", "Phát hiện người lạ trong khu vực cấm tại {place}"),
}
STORM_DAYS, STORM_SHARE = 4, 0.75


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _times(rng: np.random.Generator, window: Window, category: np.ndarray) -> np.ndarray:
    seconds = np.zeros(len(category), dtype=np.int64)
    storms = rng.choice(window.days, STORM_DAYS, replace=False)
    for name, (_, rhythm, _, _) in CATEGORIES.items():
        mask = category == name
        weights = window.weekly(1.15 if rhythm in ("evening", "night") else 0.9, rng, 0.25)
        if name == "flood":
            weights = weights * 0.1
            weights[storms] += STORM_SHARE * weights.sum() / (1 - STORM_SHARE) / STORM_DAYS
        seconds[mask] = window.sample(rng, int(mask.sum()), rhythm, weights)
    return seconds


def _places(
    rng: np.random.Generator,
    city: City,
    parcels: pd.DataFrame,
    cameras: pd.DataFrame,
    category: np.ndarray,
    camera: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u, v) and a place text for each incident."""
    n = len(category)
    u, v, place = np.zeros(n), np.zeros(n), np.empty(n, dtype=object)
    core_roads = city.roads[city.roads.grid.eq("core") | city.roads.road_class.isin(["national"])]
    by_road = (np.array([CATEGORIES[c][2] for c in category]) == "road") & (camera < 0)
    points, road = on_roads(rng, core_roads, int(by_road.sum()))
    u[by_road], v[by_road] = shapely.get_x(points), shapely.get_y(points)
    place[by_road] = [street_address_name(x) for x in core_roads.name.to_numpy()[road]]
    in_house = ~by_road & (camera < 0)
    points, parcel = in_parcels(rng, parcels, int(in_house.sum()), ("ODT", "ONT", "TMD"))
    u[in_house], v[in_house] = shapely.get_x(points), shapely.get_y(points)
    place[in_house] = [_lower_first(a.rsplit(", ", 1)[0]) for a in parcels.address.to_numpy()[parcel]]
    seen = camera >= 0
    u[seen], v[seen] = in_view(rng, cameras, camera[seen])
    # the nearest road, never the camera's own address: which camera saw it is restricted
    _, road = shapely.STRtree(core_roads.geometry.to_numpy()).query_nearest(
        shapely.points(u[seen], v[seen]), all_matches=False
    )
    place[seen] = [street_address_name(x) for x in core_roads.name.to_numpy()[road]]
    return u, v, place


def _workflow(
    rng: np.random.Generator, window: Window, reported: np.ndarray, severity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Status and resolution time (seconds, -1 if open) from the age and a handling time."""
    median = np.array([MEDIAN_HOURS[s] for s in severity]) * 3600
    handled = reported + (median * rng.lognormal(0.0, 0.8, len(reported))).astype(np.int64)
    age = window.seconds - reported
    done = handled < window.seconds
    status = np.where(age < 1800, "new", np.where(age < 4 * 3600, "dispatched", "in_progress")).astype(object)
    closed = done & ((window.seconds - handled) > 2 * DAY_S) & (rng.random(len(reported)) < 0.85)
    status[done] = np.where(closed[done], "closed", "resolved")
    return status, np.where(done, handled, -1)


def build_incidents(
    rng: np.random.Generator, city: City, parcels: pd.DataFrame, cameras: pd.DataFrame, window: Window
) -> pd.DataFrame:
    """2,000 incidents; traffic accidents peak at rush hours, floods cluster on a few storm days."""
    category = choose(rng, {k: c[0] for k, c in CATEGORIES.items()}, COUNT)
    camera = np.full(COUNT, -1)
    online = np.flatnonzero((cameras.status == "online").to_numpy())
    for name, (share, _) in SOURCES.items():
        seen = (category == name) & (rng.random(COUNT) < share)
        camera[seen] = online[rng.integers(0, len(online), int(seen.sum()))]
    source = choose(rng, OTHER_SOURCES, COUNT)
    for name, (_, others) in SOURCES.items():
        mask = category == name
        source[mask] = choose(rng, others, int(mask.sum()))
    source[camera >= 0] = "camera"
    reported = _times(rng, window, category)
    severity = np.empty(COUNT, dtype=object)
    for name, (_, _, _, shares) in CATEGORIES.items():
        mask = category == name
        severity[mask] = choose(rng, dict(zip(SEVERITIES, shares, strict=True)), int(mask.sum()))
    status, resolved = _workflow(rng, window, reported, severity)
    u, v, place = _places(rng, city, parcels, cameras, category, camera)
    titles = [
        TITLES[c][rng.integers(len(TITLES[c]))].format(place=p) for c, p in zip(category, place, strict=True)
    ]
    frame = (
        pd.DataFrame(
            {
                "category": category,
                "severity": severity,
                "status": status,
                "title": titles,
                "source": source,
                "camera_code": np.where(camera >= 0, cameras.code.to_numpy()[np.maximum(camera, 0)], None),
                "reported": reported,
                "resolved": resolved,
                "u": u,
                "v": v,
            }
        )
        .sort_values("reported", kind="stable")
        .reset_index(drop=True)
    )
    return _finish(frame, city, window, rng)


def _finish(frame: pd.DataFrame, city: City, window: Window, rng: np.random.Generator) -> pd.DataFrame:
    stamps = window.iso(frame.reported.to_numpy())
    day = pd.Series(stamps).str.slice(0, 10).str.replace("-", "")
    frame["code"] = "INC-" + day + "-" + (day.groupby(day).cumcount() + 1).map("{:03d}".format)
    frame["reported_at"] = stamps
    frame["resolved_at"] = np.where(frame.resolved >= 0, window.iso(np.maximum(frame.resolved, 0)), None)
    frame["description"] = [_describe(r, rng) for r in frame.itertuples()]
    frame["ward_code"] = city.ward_of(frame.u.to_numpy(), frame.v.to_numpy())
    frame["geometry"] = shapely.points(frame.u.to_numpy(), frame.v.to_numpy())
    return frame[
        [
            "code",
            "category",
            "severity",
            "status",
            "title",
            "description",
            "source",
            "camera_code",
            "reported_at",
            "resolved_at",
            "ward_code",
            "geometry",
        ]
    ]


DETAILS = {
    "low": "Không có thiệt hại về người.",
    "medium": "Có thiệt hại nhỏ về tài sản, không có thương vong.",
    "high": "Có người bị thương, đã đưa đi cấp cứu.",
    "critical": "Thiệt hại nghiêm trọng, đã huy động lực lượng chức năng.",
}
SOURCE_TEXT = {
    "camera": "camera giám sát phát hiện",
    "hotline_113": "tiếp nhận qua tổng đài 113",
    "hotline_114": "tiếp nhận qua tổng đài 114",
    "patrol": "tổ tuần tra phát hiện",
    "citizen_app": "người dân báo qua ứng dụng",
}


def _describe(row: object, rng: np.random.Generator) -> str:
    hour = row.reported_at[11:16]
    units = int(rng.integers(1, 4))
    return (
        f"Lúc {hour}, {SOURCE_TEXT[row.source]}: {_lower_first(row.title)}. "
        f"{DETAILS[row.severity]} Đã điều {units} tổ công tác đến hiện trường."
    )
