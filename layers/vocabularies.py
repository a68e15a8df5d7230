"""Code lists (vi/en) used by the layer models, the importers and the map legends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One code of a code list, with its Vietnamese and English labels and a legend colour."""

    code: str
    vi: str
    en: str
    color: str = "#888888"


class Vocabulary:
    """An ordered code list; gives Django choices, label lookups and legend entries."""

    declared: dict[tuple[tuple[str, str], ...], Vocabulary] = {}  # by its choices: see of_choices

    def __init__(self, name: str, *terms: Term) -> None:
        self.name = name
        self.terms = terms
        self._by_code = {term.code: term for term in terms}
        Vocabulary.declared.setdefault(tuple(self.choices), self)

    @classmethod
    def of_choices(cls, choices: object) -> Vocabulary | None:
        """The code list a model field's `choices` were made from (its English labels), if any."""
        try:
            return cls.declared.get(tuple((str(code), str(label)) for code, label in choices))
        except (TypeError, ValueError):  # grouped choices
            return None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Term:
        return self._by_code[code]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """Django `choices`, labelled in Vietnamese (the UI's first language)."""
        return [(term.code, term.vi) for term in self.terms]

    def labels(self) -> dict[str, list[str]]:
        """Each code's [Vietnamese, English] label (what the map's popups show)."""
        return {term.code: [term.vi, term.en] for term in self.terms}

    def legend(self) -> list[dict[str, str]]:
        return [{"code": t.code, "vi": t.vi, "en": t.en, "color": t.color} for t in self.terms]


# Land-use codes of the land law (Luật Đất đai 2024; Thông tư 08/2024/TT-BTNMT symbols) with
# the legend colours of the cadastral map standard.
LAND_USE = Vocabulary(
    "land_use",
    Term("LUC", "Đất chuyên trồng lúa", "Paddy land (two or more crops)", "#FFFC82"),
    Term("LUK", "Đất trồng lúa còn lại", "Other paddy land", "#FFFCB4"),
    Term("BHK", "Đất bằng trồng cây hằng năm khác", "Other annual crop land", "#FFF0B4"),
    Term("CLN", "Đất trồng cây lâu năm", "Perennial crop land", "#FFD2A0"),
    Term("RSX", "Đất rừng sản xuất", "Production forest", "#B4FFB4"),
    Term("RPH", "Đất rừng phòng hộ", "Protection forest", "#BEFFBE"),
    Term("NTS", "Đất nuôi trồng thủy sản", "Aquaculture land", "#AAFFFF"),
    Term("ONT", "Đất ở tại nông thôn", "Rural residential land", "#FFD0FF"),
    Term("ODT", "Đất ở tại đô thị", "Urban residential land", "#FFA0FF"),
    Term("TSC", "Đất xây dựng trụ sở cơ quan", "Government office land", "#FAAAA0"),
    Term("DVH", "Đất xây dựng cơ sở văn hóa", "Cultural facility land", "#FFAAA0"),
    Term("DYT", "Đất xây dựng cơ sở y tế", "Health facility land", "#FFAAA0"),
    Term("DGD", "Đất xây dựng cơ sở giáo dục và đào tạo", "Education facility land", "#FFAAA0"),
    Term("DTT", "Đất xây dựng cơ sở thể dục, thể thao", "Sports facility land", "#FFAAA0"),
    Term("CQP", "Đất quốc phòng", "Defence land", "#FF6450"),
    Term("CAN", "Đất an ninh", "Security land", "#FF5046"),
    Term("TMD", "Đất thương mại, dịch vụ", "Commercial and service land", "#FAAAA0"),
    Term("SKC", "Đất cơ sở sản xuất phi nông nghiệp", "Non-agricultural production land", "#FAAAA0"),
    Term("SKK", "Đất khu công nghiệp", "Industrial park land", "#FAAAA0"),
    Term("DGT", "Đất công trình giao thông", "Transport land", "#FFAA32"),
    Term("DTL", "Đất công trình thủy lợi", "Irrigation land", "#AAFFFF"),
    Term("DKV", "Đất khu vui chơi, giải trí công cộng", "Public recreation land", "#FFAAA0"),
    Term("DCH", "Đất chợ", "Market land", "#FFAAA0"),
    Term("TON", "Đất cơ sở tôn giáo", "Religious land", "#FFAAA0"),
    Term("NTD", "Đất nghĩa trang, nhà tang lễ", "Cemetery land", "#D2D2D2"),
    Term("SON", "Đất có mặt nước sông, ngòi, kênh, rạch, suối", "River and stream surface", "#A0FFFF"),
    Term("MNC", "Đất có mặt nước chuyên dùng", "Special-use water surface", "#B4FFFF"),
    Term("BCS", "Đất bằng chưa sử dụng", "Unused flat land", "#FFFFFE"),
)

OWNER_TYPE = Vocabulary(
    "owner_type",
    Term("GDC", "Hộ gia đình, cá nhân", "Household or individual"),
    Term("TCC", "Tổ chức trong nước", "Domestic organisation"),
    Term("TVN", "Tổ chức kinh tế có vốn đầu tư nước ngoài", "Foreign-invested enterprise"),
    Term("UBS", "Ủy ban nhân dân cấp xã", "Commune People's Committee"),
    Term("CDS", "Cộng đồng dân cư, cơ sở tôn giáo", "Community or religious body"),
    Term("TKQ", "Tổ chức được giao quản lý", "Organisation assigned to manage"),
)

ADMIN_LEVEL = Vocabulary(
    "admin_level",
    Term("province", "Tỉnh / Thành phố trực thuộc TW", "Province"),
    Term("district", "Huyện / Thị xã / Thành phố thuộc tỉnh", "District"),
    Term("commune", "Xã / Phường / Thị trấn", "Commune or ward"),
)

ADMIN_TYPE = Vocabulary(
    "admin_type",
    Term("tinh", "Tỉnh", "Province"),
    Term("thanh_pho_tw", "Thành phố trực thuộc trung ương", "Municipality"),
    Term("thanh_pho", "Thành phố", "Provincial city"),
    Term("thi_xa", "Thị xã", "Town"),
    Term("huyen", "Huyện", "Rural district"),
    Term("quan", "Quận", "Urban district"),
    Term("phuong", "Phường", "Ward"),
    Term("xa", "Xã", "Commune"),
    Term("thi_tran", "Thị trấn", "Township"),
)

ROAD_CLASS = Vocabulary(
    "road_class",
    Term("national", "Quốc lộ", "National road", "#E8913A"),
    Term("provincial", "Đường tỉnh", "Provincial road", "#F2C94C"),
    Term("urban_main", "Đường phố chính", "Urban arterial", "#FFFFFF"),
    Term("urban", "Đường phố", "Urban street", "#F4F4F4"),
    Term("alley", "Ngõ, hẻm", "Alley", "#EDEDED"),
)

WATER_TYPE = Vocabulary(
    "water_type",
    Term("river", "Sông", "River", "#9CC9F0"),
    Term("stream", "Suối", "Stream", "#A9D3F5"),
    Term("lake", "Hồ", "Lake", "#9CC9F0"),
    Term("pond", "Ao", "Pond", "#B3DAF7"),
)

# a waterway's kind (sông, suối, kênh, mương): line water, beside the water surfaces of WATER_TYPE
WATERWAY_KIND = Vocabulary(
    "waterway_kind",
    Term("river", "Sông", "River", "#1F78B4"),
    Term("stream", "Suối, ngòi", "Stream", "#4FA3E0"),
    Term("canal", "Kênh", "Canal", "#00838F"),
    Term("ditch", "Mương", "Ditch", "#80CBC4"),
)

ZONE_FUNCTION = Vocabulary(
    "zone_function",
    Term("residential", "Đất ở", "Residential", "#F7C6D9"),
    Term("mixed", "Đất hỗn hợp", "Mixed use", "#E8A9C9"),
    Term("commercial", "Thương mại dịch vụ", "Commercial", "#F08A8A"),
    Term("public", "Công trình công cộng", "Public facilities", "#F5B27A"),
    Term("green", "Cây xanh, mặt nước", "Green space and water", "#9BD49B"),
    Term("industrial", "Công nghiệp", "Industrial", "#C7A6E0"),
    Term("transport", "Giao thông", "Transport", "#D9D9D9"),
    Term("agriculture", "Nông nghiệp", "Agriculture", "#E3F0A6"),
)

# what a building is used for (công năng): the footprints are drawn over the zones, in colours that
# stay apart from ZONE_FUNCTION's in the planning view
BUILDING_USE = Vocabulary(
    "building_use",
    Term("residential", "Nhà ở", "Residential", "#B5523B"),
    Term("commercial", "Thương mại, dịch vụ", "Commercial and services", "#C2185B"),
    Term("public", "Công trình công cộng", "Public building", "#1565C0"),
    Term("industrial", "Công nghiệp, kho bãi", "Industrial or storage", "#6A1B9A"),
    Term("religious", "Tôn giáo, tín ngưỡng", "Religious", "#F9A825"),
    Term("mixed", "Hỗn hợp (ở và kinh doanh)", "Mixed use", "#00897B"),
    Term("other", "Khác", "Other", "#5D4037"),
)

SCHOOL_LEVEL = Vocabulary(
    "school_level",
    Term("mam_non", "Mầm non", "Pre-school", "#F2994A"),
    Term("tieu_hoc", "Tiểu học", "Primary", "#27AE60"),
    Term("thcs", "Trung học cơ sở", "Lower secondary", "#2D9CDB"),
    Term("thpt", "Trung học phổ thông", "Upper secondary", "#9B51E0"),
    Term("cao_dang", "Cao đẳng", "College", "#C0392B"),
    Term("dai_hoc", "Đại học", "University", "#34495E"),
)

HEALTH_TYPE = Vocabulary(
    "health_type",
    Term("hospital", "Bệnh viện", "Hospital", "#EB5757"),
    Term("ward_station", "Trạm y tế phường/xã", "Ward health station", "#F2994A"),
    Term("clinic", "Phòng khám", "Clinic", "#56CCF2"),
    Term("pharmacy", "Nhà thuốc", "Pharmacy", "#2E7D32"),
)

LODGING_TYPE = Vocabulary(
    "lodging_type",
    Term("hotel", "Khách sạn", "Hotel", "#2F80ED"),
    Term("guesthouse", "Nhà nghỉ", "Guesthouse", "#56CCF2"),
    Term("homestay", "Homestay", "Homestay", "#27AE60"),
    Term("hostel", "Nhà nghỉ tập thể (hostel)", "Hostel", "#F2994A"),
)

SERVICE_LEVEL = Vocabulary(
    "service_level",
    Term("province", "Trung tâm phục vụ hành chính công tỉnh", "Provincial one-stop centre", "#6C5CE7"),
    Term("commune", "Bộ phận một cửa cấp xã", "Commune one-stop office", "#A29BFE"),
)

STATION_TYPE = Vocabulary(
    "station_type",
    Term("air", "Quan trắc không khí", "Air quality", "#00B894"),
    Term("water", "Quan trắc nước", "Water quality", "#0984E3"),
    Term("noise", "Quan trắc tiếng ồn", "Noise", "#FDCB6E"),
)

CAMERA_STATUS = Vocabulary(
    "camera_status",
    Term("online", "Đang hoạt động", "Online", "#1B4332"),
    Term("offline", "Mất kết nối", "Offline", "#636E72"),
    Term("maintenance", "Bảo trì", "Maintenance", "#E67E22"),
)

INCIDENT_CATEGORY = Vocabulary(
    "incident_category",
    Term("traffic_accident", "Tai nạn giao thông", "Traffic accident", "#E17055"),
    Term("fire", "Cháy, nổ", "Fire or explosion", "#D63031"),
    Term("flood", "Ngập lụt, sạt lở", "Flood or landslide", "#0984E3"),
    Term("public_order", "Mất trật tự công cộng", "Public disorder", "#6C5CE7"),
    Term("crime", "Tội phạm", "Crime", "#2D3436"),
    Term("infrastructure", "Sự cố hạ tầng", "Infrastructure failure", "#FDCB6E"),
    Term("intrusion", "Xâm nhập khu vực cấm", "Restricted-zone intrusion", "#E84393"),
)

# how an incident reached the centre (Incident.source)
INCIDENT_SOURCE = Vocabulary(
    "incident_source",
    Term("hotline_113", "Tổng đài 113", "Hotline 113"),
    Term("hotline_114", "Tổng đài 114", "Hotline 114"),
    Term("patrol", "Tuần tra", "Patrol"),
    Term("citizen_app", "Ứng dụng công dân", "Citizen app"),
    Term("camera", "Camera giám sát", "Surveillance camera"),
    Term("camera_ai", "Camera AI", "Camera AI"),
)

SEVERITY = Vocabulary(
    "severity",
    Term("low", "Thấp", "Low", "#74B9FF"),
    Term("medium", "Trung bình", "Medium", "#FDCB6E"),
    Term("high", "Cao", "High", "#E17055"),
    Term("critical", "Nghiêm trọng", "Critical", "#D63031"),
)

INCIDENT_STATUS = Vocabulary(
    "incident_status",
    Term("new", "Mới", "New", "#D63031"),
    Term("dispatched", "Đã điều phối", "Dispatched", "#E17055"),
    Term("in_progress", "Đang xử lý", "In progress", "#FDCB6E"),
    Term("resolved", "Đã xử lý", "Resolved", "#00B894"),
    Term("closed", "Đã đóng", "Closed", "#B2BEC3"),
)

REPORT_CATEGORY = Vocabulary(
    "report_category",
    Term("infrastructure", "Hạ tầng, giao thông", "Infrastructure and roads", "#FDCB6E"),
    Term("environment", "Môi trường, vệ sinh", "Environment and sanitation", "#00B894"),
    Term("public_order", "Trật tự đô thị", "Urban order", "#6C5CE7"),
    Term("land", "Đất đai, xây dựng", "Land and construction", "#E17055"),
    Term("administrative", "Thủ tục hành chính", "Administrative procedures", "#0984E3"),
    Term("security", "An ninh trật tự", "Security", "#2D3436"),
)

UNIT_KIND = Vocabulary(
    "unit_kind",  # in the order routing prefers them (feedback.routing)
    Term("commune", "UBND phường, xã", "Ward or commune people's committee", "#6C5CE7"),
    Term("utility", "Doanh nghiệp dịch vụ công", "Public utility", "#8D6E63"),
    Term("police", "Công an", "Police", "#2D3436"),
    Term("department", "Sở, ban, ngành", "Provincial department", "#E84393"),
)

REPORT_CHANNEL = Vocabulary(
    "report_channel",
    Term("app", "Ứng dụng di động", "Mobile app"),
    Term("hotline", "Đường dây nóng", "Hotline"),
    Term("web", "Cổng thông tin", "Web portal"),
    Term("zalo", "Zalo", "Zalo"),
    Term("in_person", "Trực tiếp", "In person"),
)

# received → assigned → in progress (⇄ waiting for the citizen) → resolved / rejected; resolved → received
REPORT_STATUS = Vocabulary(
    "report_status",
    Term("received", "Đã tiếp nhận", "Received", "#D63031"),
    Term("assigned", "Đã phân công", "Assigned", "#E17055"),
    Term("in_progress", "Đang xử lý", "In progress", "#FDCB6E"),
    Term("waiting", "Chờ công dân bổ sung", "Waiting for the citizen", "#74B9FF"),
    Term("resolved", "Đã giải quyết", "Resolved", "#00B894"),
    Term("rejected", "Từ chối", "Rejected", "#B2BEC3"),
)


@dataclass(frozen=True)
class Move:
    """One named transition of a workflow: from any of `sources` to `target`.

    `text`: the argument that carries the public text (required; logged as the move's description);
    `unit`: the move takes the unit that will handle the feature. `by_citizen`: only the citizen
    makes it (with the key given at filing), never staff. `vi`, `en`: the button's label.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    text: str = ""
    unit: bool = False
    vi: str = ""
    en: str = ""
    by_citizen: bool = False


# The one table of the report workflow: CitizenReport's django-fsm transitions are generated from it
# (layers.models.events) and REPORT_TRANSITIONS, the registry's Workflow, is derived from it.
REPORT_MOVES: tuple[Move, ...] = (
    Move("assign", ("received",), "assigned", unit=True, vi="Giao xử lý", en="Assign"),
    Move("reassign", ("assigned", "in_progress"), "assigned", text="reason", unit=True,
         vi="Chuyển đơn vị khác", en="Reassign"),
    Move("start", ("assigned",), "in_progress", vi="Bắt đầu xử lý", en="Start"),
    Move("ask_citizen", ("in_progress",), "waiting", text="question", vi="Hỏi thêm công dân",
         en="Ask the citizen"),
    Move("citizen_replied", ("waiting",), "in_progress", vi="Công dân đã bổ sung", en="Citizen replied"),
    Move("resolve", ("in_progress",), "resolved", text="response", vi="Trả lời, hoàn thành", en="Resolve"),
    Move("reject", ("received", "assigned", "in_progress"), "rejected", text="reason", vi="Từ chối",
         en="Reject"),
    # by the citizen, within the category's reopen days
    Move("reopen", ("resolved",), "received", vi="Mở lại", en="Reopen", by_citizen=True),
)


def transitions_of(statuses: Vocabulary, moves: tuple[Move, ...]) -> dict[str, frozenset[str]]:
    """Each status mapped to the statuses the moves lead to from it (every status named, in order)."""
    return {status: frozenset(m.target for m in moves if status in m.sources) for status in statuses.codes}


REPORT_TRANSITIONS: dict[str, frozenset[str]] = transitions_of(REPORT_STATUS, REPORT_MOVES)
REPORT_REOPENABLE = ("resolved",)  # closed (never late, counted done) although `reopen` leaves it

OBJECT_CLASS = Vocabulary(
    "object_class",
    Term("person", "Người", "Person", "#E84393"),
    Term("bicycle", "Xe đạp", "Bicycle", "#00B894"),
    Term("motorbike", "Xe máy", "Motorbike", "#FDCB6E"),
    Term("car", "Ô tô", "Car", "#0984E3"),
    Term("bus", "Xe buýt", "Bus", "#6C5CE7"),
    Term("truck", "Xe tải", "Truck", "#D63031"),
)

PERIOD = Vocabulary(
    "period",
    Term("hour", "Giờ", "Hour"),
    Term("day", "Ngày", "Day"),
    Term("month", "Tháng", "Month"),
)

# how often a layer's data is expected to be confirmed current (layers.registry.CADENCES: the periods)
CADENCE = Vocabulary(
    "cadence",
    Term("hourly", "Hằng giờ", "Hourly"),
    Term("daily", "Hằng ngày", "Daily"),
    Term("weekly", "Hằng tuần", "Weekly"),
    Term("monthly", "Hằng tháng", "Monthly"),
    Term("quarterly", "Hằng quý", "Quarterly"),
    Term("yearly", "Hằng năm", "Yearly"),
)
