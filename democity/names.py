"""Vietnamese place and street names of the demo city, and their diacritic-free forms."""

from __future__ import annotations

import re
import unicodedata

# Streets named after people and events, as Vietnamese cities name them; the first ones are the
# real main streets of Yên Bái and go to the main roads of the centre.
STREET_NAMES: tuple[str, ...] = (
    "Nguyễn Thái Học",
    "Điện Biên",
    "Đinh Tiên Hoàng",
    "Trần Hưng Đạo",
    "Hoàng Hoa Thám",
    "Yên Ninh",
    "Kim Đồng",
    "Thành Công",
    "Nguyễn Tất Thành",
    "Lê Lợi",
    "Quang Trung",
    "Hòa Bình",
    "Lý Thường Kiệt",
    "Trần Phú",
    "Nguyễn Du",
    "Hoàng Văn Thụ",
    "Phan Đình Phùng",
    "Lê Hồng Phong",
    "Ngô Gia Tự",
    "Lý Tự Trọng",
    "Cao Thắng",
    "Hoàng Quốc Việt",
    "Ngô Minh Loan",
    "Tuệ Tĩnh",
    "Trần Bình Trọng",
    "Nguyễn Văn Cừ",
    "Võ Nguyên Giáp",
    "Nguyễn Trãi",
    "Lê Văn Tám",
    "Bà Triệu",
    "Hai Bà Trưng",
    "Lý Thái Tổ",
    "Lý Nam Đế",
    "Ngô Quyền",
    "Đinh Lễ",
    "Lê Lai",
    "Trần Nhật Duật",
    "Trần Quang Khải",
    "Phạm Ngũ Lão",
    "Yết Kiêu",
    "Dã Tượng",
    "Nguyễn Khuyến",
    "Nguyễn Đình Chiểu",
    "Tô Hiến Thành",
    "Chu Văn An",
    "Lê Quý Đôn",
    "Nguyễn Bỉnh Khiêm",
    "Phùng Khắc Khoan",
    "Lương Văn Can",
    "Nguyễn Văn Trỗi",
    "Võ Thị Sáu",
    "Cù Chính Lan",
    "Tô Vĩnh Diện",
    "Phan Bội Châu",
    "Phan Chu Trinh",
    "Huỳnh Thúc Kháng",
    "Nguyễn Trường Tộ",
    "Trần Khánh Dư",
    "Hồ Xuân Hương",
    "Đoàn Thị Điểm",
    "Nguyễn Thị Minh Khai",
    "Hoàng Diệu",
    "Tôn Đức Thắng",
    "Trường Chinh",
    "Lê Duẩn",
    "Phạm Văn Đồng",
    "Nguyễn Chí Thanh",
    "Hoàng Văn Thái",
    "Đặng Thai Mai",
    "Xuân Thủy",
    "Tố Hữu",
    "Văn Cao",
    "Nguyễn Tuân",
    "Thanh Niên",
    "Hàm Nghi",
    "Duy Tân",
    "Lý Công Uẩn",
    "Mạc Đĩnh Chi",
    "Chu Mạnh Trinh",
    "Nguyễn Công Trứ",
    "Cao Bá Quát",
    "Nguyễn Siêu",
    "Đinh Công Tráng",
    "Nguyễn Lương Bằng",
    "Trần Quốc Toản",
    "Lê Thánh Tông",
    "Lê Đại Hành",
    "Triệu Quang Phục",
    "Mai Hắc Đế",
    "Phùng Hưng",
    "Khúc Thừa Dụ",
    "Dương Đình Nghệ",
    "Lý Chính Thắng",
    "Trần Quý Cáp",
    "Hồ Tùng Mậu",
    "Lê Trọng Tấn",
    "Hoàng Minh Thảo",
    "Nguyễn Sơn",
    "Tân Trào",
    "Bạch Đằng",
    "Chi Lăng",
    "Đống Đa",
    "Vạn Kiếp",
    "Hàm Tử",
    "Trần Nguyên Hãn",
    "Nguyễn Biểu",
    "Đội Cấn",
    "Lương Ngọc Quyến",
    "Ngô Sĩ Liên",
    "Phan Huy Chú",
    "Nguyễn Khoái",
    "Lê Chân",
    "Nguyễn Đức Cảnh",
    "Đặng Dung",
    "Trần Cao Vân",
    "Phó Đức Chính",
    "Nguyễn Viết Xuân",
    "Ỷ Lan",
    "Tôn Thất Tùng",
    "Nguyễn Hữu Huân",
    "Lê Thanh Nghị",
    "Phạm Hồng Thái",
    "Nguyễn Cảnh Chân",
    "Đào Duy Từ",
    "Nguyễn Gia Thiều",
    "Trần Tế Xương",
    "Nguyễn Phong Sắc",
    "Lê Văn Hưu",
    "Nguyễn Quang Bích",
    "Đinh Núp",
    "Kim Ngọc",
    "Vũ Trọng Phụng",
    "Nam Cao",
    "Tô Ngọc Vân",
)

# Riverside roads, national and provincial roads and bridges of the demo city.
RIVERSIDE_ROADS = {"right": "Âu Cơ", "left": "Lạc Long Quân"}
NATIONAL_ROADS = {"ql37": "Quốc lộ 37", "ql70": "Quốc lộ 70", "ql32c": "Quốc lộ 32C"}
PROVINCIAL_ROADS = ("Đường tỉnh 163", "Đường tỉnh 151")
BRIDGES = {"ql37": "Cầu Tuần Quán", "centre": "Cầu Yên Bái", "west": "Cầu Văn Phú"}

_TONE_FREE = str.maketrans({"đ": "d", "Đ": "D"})


def ascii_fold(text: str) -> str:
    """The text without Vietnamese diacritics: 'Đồng Tâm' → 'Dong Tam'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_TONE_FREE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """An upper-case code made of the folded words: 'Hồ Nam Cường' → 'HO-NAM-CUONG'."""
    return re.sub(r"[^A-Z0-9]+", "-", ascii_fold(text).upper()).strip("-")


def street_address_name(name: str) -> str:
    """How a road is written after a house number: 'Đường Kim Đồng' → 'đường Kim Đồng'."""
    return "đ" + name[1:] if name.startswith("Đường") else name
