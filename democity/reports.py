"""Citizen feedback reports (phản ánh kiến nghị) of the last 90 days, with deadlines and backlog."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from democity.admin import COMMUNE_BY_CODE, NEW_WARDS, REFORM
from democity.city import City
from democity.names import street_address_name
from democity.people import birth_years, emails, full_names, id_numbers, phones, sexes
from democity.places import in_parcels, on_roads
from democity.rng import choose
from democity.timeline import DAY_S, Window

COUNT = 3000
# category → (share, where: road | house | office, days allowed to answer)
CATEGORIES = {
    "infrastructure": (30, "road", 10),
    "environment": (22, "house", 7),
    "public_order": (18, "road", 5),
    "land": (14, "house", 15),
    "administrative": (10, "office", 5),
    "security": (6, "house", 5),
}
CHANNELS = {"app": 34, "zalo": 26, "hotline": 18, "web": 14, "in_person": 8}
CHANNEL_RHYTHM = {
    "app": ("evening", 1.0),
    "zalo": ("evening", 1.0),
    "hotline": ("office", 0.6),
    "web": ("flat", 0.9),
    "in_person": ("office", 0.1),
}
TITLES = {
    "infrastructure": (
        "Đèn chiếu sáng hỏng trên {place}",
        "Mặt đường xuống cấp, nhiều ổ gà trên {place}",
        "Nắp cống bị vỡ trên {place}",
        "Cây xanh có nguy cơ gãy đổ trên {place}",
        "Vỉa hè bị bong tróc trên {place}",
    ),
    "environment": (
        "Rác thải tồn đọng tại {place}",
        "Khói bụi từ công trình xây dựng gần {place}",
        "Nước thải chảy tràn ra đường tại {place}",
        "Đốt rác gây ô nhiễm tại {place}",
    ),
    "public_order": (
        "Lấn chiếm vỉa hè kinh doanh trên {place}",
        "Đỗ xe sai quy định trên {place}",
        "Quảng cáo rao vặt trái phép trên {place}",
        "Hát karaoke gây ồn sau 22 giờ trên {place}",
    ),
    "land": (
        "Xây dựng không phép tại {place}",
        "Tranh chấp ranh giới thửa đất tại {place}",
        "Lấn chiếm đất công tại {place}",
        "Chậm cấp giấy chứng nhận quyền sử dụng đất tại {place}",
    ),
    "administrative": (
        "Chậm giải quyết hồ sơ tại {place}",
        "Hướng dẫn thủ tục chưa rõ ràng tại {place}",
        "Thái độ cán bộ tiếp dân tại {place}",
    ),
    "security": (
        "Tụ tập thanh thiếu niên gây mất an ninh tại {place}",
        "Nghi vấn trộm cắp tài sản tại {place}",
        "Nghi vấn hoạt động cờ bạc tại {place}",
    ),
}
# category → (city agency before the 2025 reform, provincial agency after it); None: the ward itself
AGENCIES = {
    "infrastructure": ("Phòng Quản lý đô thị thành phố Yên Bái", "Sở Xây dựng tỉnh Lào Cai"),
    "environment": (
        "Phòng Tài nguyên và Môi trường thành phố Yên Bái",
        "Sở Nông nghiệp và Môi trường tỉnh Lào Cai",
    ),
    "land": ("Phòng Tài nguyên và Môi trường thành phố Yên Bái", "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"),
    "administrative": (
        "Văn phòng HĐND và UBND thành phố Yên Bái",
        "Trung tâm Phục vụ hành chính công tỉnh Lào Cai",
    ),
    "public_order": None,
    "security": None,
}
NEW_WARD_NAME = {w.code: w.name for w in NEW_WARDS}
RESOLVED_SHARE, REPORTER_SHARE = 0.93, 0.9
STUCK_SHARE = 0.12  # reports that wait far longer than usual: most of the overdue backlog


def _times(rng: np.random.Generator, window: Window, channel: np.ndarray) -> np.ndarray:
    seconds = np.zeros(len(channel), dtype=np.int64)
    for name, (rhythm, weekend) in CHANNEL_RHYTHM.items():
        mask = channel == name
        seconds[mask] = window.sample(rng, int(mask.sum()), rhythm, window.weekly(weekend, rng, 0.2))
    return seconds


def _places(
    rng: np.random.Generator, city: City, parcels: pd.DataFrame, category: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    where = np.array([CATEGORIES[c][1] for c in category])
    u, v, place = np.zeros(len(category)), np.zeros(len(category)), np.empty(len(category), dtype=object)
    roads = city.roads[city.roads.grid.eq("core") | city.roads.road_class.eq("national")]
    mask = where == "road"
    points, road = on_roads(rng, roads, int(mask.sum()))
    u[mask], v[mask] = shapely.get_x(points), shapely.get_y(points)
    place[mask] = [street_address_name(x) for x in roads.name.to_numpy()[road]]
    for kind, uses in (("house", ("ODT", "ONT", "TMD", "CLN")), ("office", ("TSC",))):
        mask = where == kind
        points, parcel = in_parcels(rng, parcels, int(mask.sum()), uses)
        u[mask], v[mask] = shapely.get_x(points), shapely.get_y(points)
        place[mask] = [place_of(address) for address in parcels.address.to_numpy()[parcel]]
    return u, v, place


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, to follow other words."""
    return text[:1].lower() + text[1:]


def place_of(address: str) -> str:
    """How a title names a parcel: its address without the commune, e.g. 'số 12, phố Kim Đồng'."""
    return lower_first(address.rsplit(", ", 1)[0])


def title_of(rng: np.random.Generator, category: str, place: str) -> str:
    """A report's title: one of its category's phrases (TITLES), about `place`."""
    phrases = TITLES[category]
    return phrases[rng.integers(len(phrases))].format(place=place)


def description_of(title: str) -> str:
    """A report's description, as the citizen's words around its title."""
    return f"Người dân phản ánh: {lower_first(title)}. Đề nghị cơ quan chức năng kiểm tra, xử lý."


def _workflow(
    rng: np.random.Generator, window: Window, received: np.ndarray, due_days: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    stuck = np.where(rng.random(len(received)) < STUCK_SHARE, 8.0, 1.0)
    handling = (0.55 * due_days * DAY_S * stuck * rng.lognormal(0.0, 0.9, len(received))).astype(np.int64)
    done = received + handling < window.seconds
    age = window.seconds - received
    status = np.where(age < DAY_S, "received", np.where(age < 3 * DAY_S, "assigned", "in_progress")).astype(
        object
    )
    status[done] = np.where(rng.random(int(done.sum())) < RESOLVED_SHARE, "resolved", "rejected")
    return status, np.where(status == "resolved", received + handling, -1)


def _responsible(
    rng: np.random.Generator, category: np.ndarray, ward: np.ndarray, after_reform: np.ndarray
) -> list:
    out = []
    for c, w, late, coin in zip(category, ward, after_reform, rng.random(len(category)), strict=True):
        commune = COMMUNE_BY_CODE[w]
        local = f"phường {NEW_WARD_NAME[commune.merged_into]}" if late else commune.label
        agency = AGENCIES[c]
        if agency is None:
            out.append(f"Công an {local}")
        else:
            out.append(agency[int(late)] if coin < 0.4 else f"UBND {local}")
    return out


def build_reports(
    rng: np.random.Generator, city: City, parcels: pd.DataFrame, window: Window
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3,000 reports and the people who sent them (most of them; hotline callers may stay anonymous)."""
    category = choose(rng, {k: c[0] for k, c in CATEGORIES.items()}, COUNT)
    channel = choose(rng, CHANNELS, COUNT)
    received = _times(rng, window, channel)
    order = np.argsort(received, kind="stable")
    category, channel, received = category[order], channel[order], received[order]
    due_days = np.clip(np.array([CATEGORIES[c][2] for c in category]) + rng.integers(-2, 3, COUNT), 5, 15)
    status, resolved = _workflow(rng, window, received, due_days)
    u, v, place = _places(rng, city, parcels, category)
    ward = city.ward_of(u, v)
    stamps = window.iso(received)
    day = pd.Series(stamps).str.slice(0, 10).str.replace("-", "")
    codes = "PA-" + day + "-" + (day.groupby(day).cumcount() + 1).map("{:03d}".format)
    reform = np.array([stamp[:10] >= REFORM.isoformat() for stamp in stamps])
    titles = [title_of(rng, c, p) for c, p in zip(category, place, strict=True)]
    reports = pd.DataFrame(
        {
            "code": codes,
            "category": category,
            "channel": channel,
            "status": status,
            "title": titles,
            "description": [description_of(t) for t in titles],
            "responsible_unit": _responsible(rng, category, ward, reform),
            "received_at": stamps,
            "due_at": window.iso(received + due_days * DAY_S),
            "resolved_at": np.where(resolved >= 0, window.iso(np.maximum(resolved, 0)), None),
            "ward_code": ward,
            "geometry": shapely.points(u, v),
        }
    )
    return reports, _reporters(rng, reports, channel)


def _reporters(rng: np.random.Generator, reports: pd.DataFrame, channel: np.ndarray) -> pd.DataFrame:
    known = np.flatnonzero(rng.random(len(reports)) < REPORTER_SHARE)
    sex = sexes(rng, len(known))
    born = birth_years(rng, len(known), 1955, 2005)
    names = full_names(rng, sex)
    email_share = np.where(channel[known] == "web", 0.8, 0.3)
    mail = emails(rng, names, born, 1.0)
    mail[rng.random(len(known)) >= email_share] = ""
    ids = id_numbers(rng, sex, born)
    ids[rng.random(len(known)) >= 0.6] = ""
    return pd.DataFrame(
        {
            "report_code": reports.code.to_numpy()[known],
            "full_name": names,
            "phone": phones(rng, len(known)),
            "email": mail,
            "id_number": ids,
        }
    )
