"""Synthetic Vietnamese people: full names, citizen identity numbers, phone numbers, e-mails."""

from __future__ import annotations

import numpy as np

from democity.names import ascii_fold
from democity.rng import choose

# Family names with rough shares in the north-west (Kinh, Tày, Thái, Mông and Dao families).
FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 30,
    "Trần": 9,
    "Lê": 7.5,
    "Phạm": 6,
    "Hoàng": 5.5,
    "Vũ": 4,
    "Hà": 3.5,
    "Phan": 2.5,
    "Bùi": 2.5,
    "Đỗ": 2.5,
    "Đặng": 2,
    "Ngô": 1.5,
    "Đinh": 1.5,
    "Lương": 1.2,
    "Đào": 1.2,
    "Trịnh": 1,
    "Dương": 1,
    "Hồ": 1,
    "Lò": 1,
    "Nông": 0.8,
    "Triệu": 0.6,
    "Giàng": 0.7,
    "Mai": 0.6,
    "Cao": 0.6,
    "Lường": 0.5,
    "Tạ": 0.5,
    "Lý": 0.5,
    "Sùng": 0.4,
    "Vàng": 0.4,
    "Chu": 0.4,
    "Bàn": 0.3,
    "Vương": 0.3,
    "Quách": 0.3,
}
MIDDLE_NAMES = {
    "m": (
        "Văn",
        "Văn",
        "Văn",
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Xuân",
        "Thanh",
        "Ngọc",
        "Tiến",
        "Mạnh",
        "Anh",
        "Công",
        "Duy",
        "Trọng",
        "Đình",
    ),
    "f": (
        "Thị",
        "Thị",
        "Thị",
        "Thị",
        "Thị",
        "Thu",
        "Ngọc",
        "Thanh",
        "Minh",
        "Phương",
        "Hồng",
        "Kim",
        "Bích",
        "Thúy",
        "Khánh",
        "Hải",
        "Mai",
        "Diệu",
    ),
}
GIVEN_NAMES = {
    "m": (
        "Hùng",
        "Dũng",
        "Tuấn",
        "Minh",
        "Nam",
        "Long",
        "Hải",
        "Thắng",
        "Cường",
        "Sơn",
        "Quân",
        "Trung",
        "Hiếu",
        "Đức",
        "Phúc",
        "Khoa",
        "Bình",
        "Tùng",
        "Thành",
        "Hòa",
        "Lâm",
        "Kiên",
        "Huy",
        "Hoàng",
        "Việt",
        "Vinh",
        "Toàn",
        "Quang",
        "Tài",
        "Phong",
        "An",
        "Bảo",
        "Đạt",
        "Khánh",
        "Lợi",
        "Tân",
        "Tiến",
        "Trường",
        "Vũ",
        "Hưng",
        "Chiến",
        "Thịnh",
        "Nghĩa",
        "Dương",
        "Hậu",
        "Thái",
    ),
    "f": (
        "Lan",
        "Hương",
        "Hoa",
        "Mai",
        "Linh",
        "Trang",
        "Huyền",
        "Thảo",
        "Hà",
        "Nga",
        "Ngọc",
        "Phương",
        "Thủy",
        "Yến",
        "Hằng",
        "Nhung",
        "Oanh",
        "Dung",
        "Hạnh",
        "Loan",
        "Thu",
        "Vân",
        "Anh",
        "Giang",
        "Hiền",
        "Liên",
        "Quỳnh",
        "Tâm",
        "Thơ",
        "Uyên",
        "Vy",
        "Xuân",
        "Chi",
        "My",
        "Nhi",
        "Ly",
        "Ngân",
        "Diệp",
        "Hồng",
        "Trinh",
        "Thắm",
        "Duyên",
    ),
}
# Mobile prefixes of the Vietnamese operators.
PHONE_PREFIXES = (
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "086",
    "096",
    "097",
    "098",
    "091",
    "094",
    "088",
    "083",
    "084",
    "085",
    "081",
    "082",
    "070",
    "076",
    "077",
    "078",
    "079",
    "089",
    "090",
    "093",
)
# Province codes of the citizen identity number (CCCD): mostly born in Yên Bái (015).
BIRTH_PROVINCES = {"015": 78, "010": 4, "025": 4, "008": 3, "001": 4, "034": 2, "036": 2, "014": 2, "019": 1}
MAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com.vn", "outlook.com")


def _pick(rng: np.random.Generator, options: tuple[str, ...] | list[str], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def sexes(rng: np.random.Generator, n: int) -> np.ndarray:
    """'m' or 'f' for n people, about half each."""
    return np.where(rng.random(n) < 0.5, "m", "f").astype(object)


def full_names(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    """A Vietnamese full name (family, middle, given) for each person of the given sex."""
    n = len(sex)
    family = choose(rng, FAMILY_NAMES, n)
    names = np.empty(n, dtype=object)
    for s in ("m", "f"):
        mask = sex == s
        k = int(mask.sum())
        names[mask] = (
            family[mask] + " " + _pick(rng, MIDDLE_NAMES[s], k) + " " + _pick(rng, GIVEN_NAMES[s], k)
        )
    return names


def birth_years(rng: np.random.Generator, n: int, low: int = 1950, high: int = 2006) -> np.ndarray:
    """Years of birth of adults, more of them in the middle of the range."""
    return np.clip(np.round(rng.normal((low + high) / 2, (high - low) / 4.5, n)), low, high).astype(int)


def id_numbers(rng: np.random.Generator, sex: np.ndarray, born: np.ndarray) -> np.ndarray:
    """12-digit citizen identity numbers: province, sex and century, year of birth, 6 digits."""
    province = choose(rng, BIRTH_PROVINCES, len(sex))
    century = np.where(born >= 2000, 2, 0) + (sex == "f")
    serial = rng.integers(0, 1_000_000, len(sex))
    return np.array(
        [f"{p}{c}{y % 100:02d}{s:06d}" for p, c, y, s in zip(province, century, born, serial, strict=True)],
        dtype=object,
    )


def phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Ten-digit Vietnamese mobile numbers."""
    prefix = _pick(rng, PHONE_PREFIXES, n)
    tail = rng.integers(0, 10_000_000, n)
    return np.array([f"{p}{t:07d}" for p, t in zip(prefix, tail, strict=True)], dtype=object)


def emails(rng: np.random.Generator, names: np.ndarray, born: np.ndarray, share: float) -> np.ndarray:
    """E-mail addresses made from the names for about `share` of the people, else ''."""
    domains = _pick(rng, MAIL_DOMAINS, len(names))
    has = rng.random(len(names)) < share
    out = np.full(len(names), "", dtype=object)
    for i in np.flatnonzero(has):
        parts = ascii_fold(names[i]).lower().split()
        out[i] = f"{parts[-1]}{parts[0]}{born[i] % 100:02d}@{domains[i]}"
    return out
