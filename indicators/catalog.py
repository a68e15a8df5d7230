"""The indicators of the hub, each declared once (indicators.registry); docs/indicators.md explains
the fields. Who reports (a layers.ResponsibleUnit code) is data of the province: change it here."""

from indicators.registry import AREA_REPORTER, Indicator, registry

AREAS = ("province", "district", "commune")

registry.register(
    Indicator(
        code="budget_revenue",
        name_vi="Thu ngân sách nhà nước trên địa bàn",
        name_en="State budget revenue collected",
        unit_vi="triệu đồng",
        unit_en="million VND",
        aggregation="sum",
        direction="higher_better",
        cadence="quarter",
        reporter="STC",
        levels=AREAS,
        valid_range=(0, None),
        targets=True,
        description_vi="Số thu ngân sách trong quý, so với dự toán (kế hoạch) năm và quý.",
        description_en="Budget revenue collected in the quarter, against the year's and the quarter's plan.",
    )
)
registry.register(
    Indicator(
        code="new_businesses",
        name_vi="Doanh nghiệp thành lập mới",
        name_en="New businesses registered",
        unit_vi="doanh nghiệp",
        unit_en="businesses",
        aggregation="sum",
        direction="higher_better",
        cadence="month",
        reporter="STC",
        levels=AREAS,
        valid_range=(0, 10_000),
        targets=True,
        description_vi="Số doanh nghiệp đăng ký thành lập mới trong tháng.",
        description_en="Businesses registered in the month.",
    )
)
registry.register(
    Indicator(
        code="households",
        name_vi="Số hộ dân cư",
        name_en="Households",
        unit_vi="hộ",
        unit_en="households",
        aggregation="latest",
        direction="higher_better",
        cadence="year",
        reporter=AREA_REPORTER,
        levels=AREAS,
        valid_range=(0, None),
        description_vi="Số hộ dân cư cuối năm; trọng số của tỷ lệ hộ nghèo.",
        description_en="Households at the end of the year; the weight of the poor-household rate.",
    )
)
registry.register(
    Indicator(
        code="poor_household_rate",
        name_vi="Tỷ lệ hộ nghèo",
        name_en="Poor-household rate",
        unit_vi="%",
        unit_en="%",
        aggregation="weighted_mean",
        weight="households",
        direction="lower_better",
        cadence="year",
        reporter=AREA_REPORTER,
        levels=AREAS,
        valid_range=(0, 100),
        targets=True,
        description_vi="Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều, bình quân gia quyền theo số hộ.",
        description_en="Share of households below the multidimensional poverty line, weighted by households.",
    )
)
registry.register(
    Indicator(
        code="sipas",
        name_vi="Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
        name_en="Satisfaction with public administrative services (SIPAS)",
        unit_vi="%",
        unit_en="%",
        aggregation="mean",
        direction="higher_better",
        cadence="year",
        reporter="SNV",
        levels=("province", "commune"),
        valid_range=(0, 100),
        targets=True,
        description_vi="Mức độ hài lòng của người dân, tổ chức (Bộ Nội vụ công bố cho tỉnh; "
        "tỉnh khảo sát xã).",
        description_en="Satisfaction of citizens and organisations (published for provinces by the Ministry "
        "of Home Affairs; communes surveyed by the province).",
    )
)
registry.register(
    Indicator(
        code="staff_headcount",
        name_vi="Số cán bộ, công chức, viên chức",
        name_en="Civil servants and public employees",
        unit_vi="người",
        unit_en="people",
        aggregation="latest",
        direction="higher_better",
        cadence="month",
        reporter=AREA_REPORTER,
        levels=("province", "commune", "agency"),
        valid_range=(0, 100_000),
        description_vi="Số người trong biên chế cuối tháng, do từng sở, ngành và xã báo cáo.",
        description_en="Staff on the payroll at the end of the month, reported by each agency and commune.",
    )
)
# Reported each month by every department (sở, ban, ngành) placed under the province; the province's
# figure is theirs added up. Part ≤ whole and jumps are checked at data entry (indicators.validation).
DEPARTMENTS = ("province", "agency")
registry.register(
    Indicator(
        code="dossiers_received",
        name_vi="Hồ sơ thủ tục hành chính tiếp nhận",
        name_en="Administrative dossiers received",
        unit_vi="hồ sơ",
        unit_en="dossiers",
        aggregation="sum",
        direction="higher_better",
        cadence="month",
        reporter=AREA_REPORTER,
        levels=DEPARTMENTS,
        valid_range=(0, 100_000),
        jump_factor=3.0,
        description_vi="Số hồ sơ thủ tục hành chính cơ quan tiếp nhận trong tháng.",
        description_en="Administrative-procedure dossiers the agency received in the month.",
    )
)
registry.register(
    Indicator(
        code="dossiers_on_time",
        name_vi="Hồ sơ giải quyết đúng hạn",
        name_en="Dossiers settled on time",
        unit_vi="hồ sơ",
        unit_en="dossiers",
        aggregation="sum",
        direction="higher_better",
        cadence="month",
        reporter=AREA_REPORTER,
        levels=DEPARTMENTS,
        valid_range=(0, 100_000),
        at_most=("dossiers_received",),
        jump_factor=3.0,
        description_vi="Số hồ sơ tiếp nhận trong tháng đã giải quyết đúng hạn (không quá số tiếp nhận).",
        description_en="Dossiers received in the month and settled on time (at most those received).",
    )
)
