"""Public facilities on their sites: schools, health facilities and one-stop service points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from democity.admin import COMMUNE_BY_CODE

KINDERGARTEN_NAMES = (
    "Hoa Sen",
    "Sao Mai",
    "Hoa Hồng",
    "Họa Mi",
    "Sơn Ca",
    "Hoa Ban",
    "Bình Minh",
    "Tuổi Thơ",
    "Hoa Phượng",
    "Ánh Dương",
    "Vàng Anh",
    "Hướng Dương",
    "Thỏ Ngọc",
)
PRIMARY_NAMES = (
    "Nguyễn Thái Học",
    "Kim Đồng",
    "Lê Văn Tám",
    "Quang Trung",
    "Nguyễn Trãi",
    "Lê Quý Đôn",
    "Trần Phú",
    "Lý Tự Trọng",
    "Võ Thị Sáu",
    "Chu Văn An",
)
LOWER_SECONDARY_NAMES = ("Lê Hồng Phong", "Quang Trung", "Nguyễn Du", "Lý Thường Kiệt", "Trần Hưng Đạo")
UPPER_SECONDARY = (
    "Trường THPT Chuyên Nguyễn Tất Thành",
    "Trường THPT Lý Thường Kiệt",
    "Trường THPT Nguyễn Huệ",
    "Trường THPT Đồng Tâm",
    "Trường THPT Hoàng Quốc Việt",
    "Trường Phổ thông Dân tộc Nội trú THPT tỉnh Yên Bái",
)
SCHOOL_PREFIX = {"mam_non": "Trường Mầm non", "tieu_hoc": "Trường Tiểu học", "thcs": "Trường THCS"}
SCHOOL_NAMES = {"mam_non": KINDERGARTEN_NAMES, "tieu_hoc": PRIMARY_NAMES, "thcs": LOWER_SECONDARY_NAMES}
# students range, students per teacher
SCHOOL_SIZE = {
    "mam_non": ((120, 420), 12),
    "tieu_hoc": ((350, 1200), 21),
    "thcs": ((300, 950), 19),
    "thpt": ((600, 1500), 18),
}
HOSPITALS = (
    ("Bệnh viện Đa khoa tỉnh Yên Bái", 800),
    ("Bệnh viện Sản Nhi tỉnh Yên Bái", 350),
    ("Bệnh viện Y dược cổ truyền tỉnh Yên Bái", 200),
    ("Bệnh viện Đa khoa thành phố Yên Bái", 250),
    ("Bệnh viện Nội tiết tỉnh Yên Bái", 100),
)
CLINICS = (
    "Phòng khám Đa khoa Hồng Đức",
    "Phòng khám Đa khoa An Phúc",
    "Phòng khám Đa khoa Hà Nội – Yên Bái",
    "Phòng khám Nha khoa Việt Đức",
    "Phòng khám Sản phụ khoa Bình An",
    "Phòng khám Mắt Sao Việt",
    "Phòng khám Nhi Tâm An",
    "Phòng khám Đa khoa Thành Công",
)
PROVINCE_CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Yên Bái"


def site_points(sites: pd.DataFrame, parcels: pd.DataFrame) -> pd.DataFrame:
    """Each site with its parcel's address and a point inside the parcel (frame coordinates)."""
    on_site = parcels[parcels.site_id >= 0].drop_duplicates("site_id").set_index("site_id")
    out = sites[sites.site_id.isin(on_site.index)].copy()
    parcel = on_site.loc[out.site_id]
    out["address"] = parcel.address.to_numpy()
    out["geometry"] = shapely.point_on_surface(parcel.geometry.to_numpy())
    return out.reset_index(drop=True)


def _school_name(level: str, commune_code: str, used: set[str], n: int) -> str:
    if level == "thpt":
        return UPPER_SECONDARY[n % len(UPPER_SECONDARY)]
    commune = COMMUNE_BY_CODE[commune_code]
    candidates = (
        [*SCHOOL_NAMES[level], commune.name] if commune.urban else [commune.name, *SCHOOL_NAMES[level]]
    )
    name = next(
        (f"{SCHOOL_PREFIX[level]} {c}" for c in candidates if f"{SCHOOL_PREFIX[level]} {c}" not in used),
        f"{SCHOOL_PREFIX[level]} số {n + 1}",
    )
    used.add(name)
    return name


def build_schools(rng: np.random.Generator, points: pd.DataFrame) -> pd.DataFrame:
    """The 50 schools: kindergartens, primary, lower and upper secondary."""
    schools = points[points.kind.isin(list(SCHOOL_SIZE))].reset_index(drop=True)
    used: set[str] = set()
    names = [
        _school_name(k, w, used, n)
        for n, (k, w) in enumerate(zip(schools.kind, schools.ward_code, strict=True))
    ]
    sizes = [SCHOOL_SIZE[k] for k in schools.kind]
    students = np.array([rng.integers(lo, hi) for (lo, hi), _ in sizes])
    teachers = np.maximum(
        4, np.round(students / np.array([r for _, r in sizes]) * rng.uniform(0.9, 1.15, len(sizes)))
    )
    return pd.DataFrame(
        {
            "code": [f"SCH-{n:03d}" for n in range(1, len(schools) + 1)],
            "name": names,
            "address": schools.address,
            "ward_code": schools.ward_code,
            "school_level": schools.kind,
            "students": students.astype(int),
            "teachers": teachers.astype(int),
            "geometry": schools.geometry,
        }
    )


def build_health(rng: np.random.Generator, points: pd.DataFrame) -> pd.DataFrame:
    """Hospitals, clinics and one health station per commune."""
    rows = []
    for kind, group in (
        ("hospital", points[points.kind == "hospital"]),
        ("clinic", points[points.kind == "clinic"]),
        ("ward_station", points[points.kind == "ward_station"]),
    ):
        for n, site in enumerate(group.itertuples()):
            if kind == "hospital":
                name, beds = HOSPITALS[n % len(HOSPITALS)]
            elif kind == "clinic":
                name, beds = CLINICS[n % len(CLINICS)], int(rng.integers(0, 12))
            else:
                name, beds = f"Trạm Y tế {COMMUNE_BY_CODE[site.ward_code].label}", int(rng.integers(3, 9))
            rows.append(
                {
                    "name": name,
                    "address": site.address,
                    "ward_code": site.ward_code,
                    "health_type": kind,
                    "beds": beds,
                    "geometry": site.geometry,
                }
            )
    frame = pd.DataFrame(rows)
    frame.insert(0, "code", [f"HF-{n:03d}" for n in range(1, len(frame) + 1)])
    return frame


def build_service_points(rng: np.random.Generator, points: pd.DataFrame) -> pd.DataFrame:
    """The provincial one-stop centre and the one-stop office of every pre-2025 commune."""
    centre = points[points.kind == "province_centre"]
    communes = points[points.kind == "commune_office"]
    names = [PROVINCE_CENTRE] + [
        f"Bộ phận Một cửa UBND {COMMUNE_BY_CODE[w].label}" for w in communes.ward_code
    ]
    urban = np.array([COMMUNE_BY_CODE[w].urban for w in communes.ward_code])
    counters = [32, *np.where(urban, rng.integers(3, 7, len(urban)), rng.integers(2, 4, len(urban)))]
    both = pd.concat([centre, communes], ignore_index=True)
    return pd.DataFrame(
        {
            "code": [f"SP-{n:03d}" for n in range(1, len(both) + 1)],
            "name": names,
            "address": both.address,
            "ward_code": both.ward_code,
            "service_level": ["province"] + ["commune"] * len(communes),
            "counters": np.asarray(counters, dtype=int),
            "geometry": both.geometry,
        }
    )
