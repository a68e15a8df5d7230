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

# The seed indices leaders follow (issue #22 item 5): staff by grade, the administrative-reform (PAR)
# and digital-transformation (DTI) indices with their parts, budget spending, tourism.
WHOLE_TREE = ("province", "commune", "agency")
STAFF_GRADES = (
    ("senior", "Chuyên viên cao cấp và tương đương", "Senior experts and equivalent"),
    ("principal", "Chuyên viên chính và tương đương", "Principal experts and equivalent"),
    ("specialist", "Chuyên viên và tương đương", "Experts and equivalent"),
    ("clerk", "Cán sự, nhân viên", "Clerks and staff"),
)
for grade, grade_vi, grade_en in STAFF_GRADES:
    registry.register(
        Indicator(
            code=f"staff_grade_{grade}",
            name_vi=f"Biên chế: {grade_vi}",
            name_en=f"Staff: {grade_en.lower()}",
            unit_vi="người",
            unit_en="people",
            aggregation="latest",
            direction="higher_better",
            cadence="month",
            reporter=AREA_REPORTER,
            levels=WHOLE_TREE,
            valid_range=(0, 100_000),
            description_vi=f"Số người ngạch {grade_vi.lower()} cuối tháng; các ngạch cộng lại bằng số "
            "cán bộ, công chức, viên chức.",
            description_en=f"{grade_en} at the end of the month; the grades add up to the headcount.",
        )
    )

# PAR Index (Chỉ số cải cách hành chính, Bộ Nội vụ): 8 areas scored in points, the index their sum (of
# 100). The provinces score their departments and communes the same way. Maximum points: demo values.
PAR_AREAS = (
    ("direction", "Công tác chỉ đạo, điều hành", "Direction and management", 9),
    ("institutions", "Xây dựng và tổ chức thực hiện thể chế", "Institutions", 9),
    ("procedures", "Cải cách thủ tục hành chính", "Administrative procedures", 12),
    ("organisation", "Cải cách tổ chức bộ máy", "Organisational structure", 8),
    ("civil_service", "Cải cách chế độ công vụ", "Civil service", 11),
    ("public_finance", "Cải cách tài chính công", "Public finance", 10),
    ("digital_government", "Xây dựng chính quyền điện tử, chính quyền số", "Digital government", 12),
    ("impact", "Tác động của cải cách hành chính", "Impact of the reform", 29),
)
registry.register(
    Indicator(
        code="par_index",
        name_vi="Chỉ số cải cách hành chính (PAR Index)",
        name_en="Public administration reform index (PAR Index)",
        unit_vi="điểm",
        unit_en="points",
        aggregation="mean",
        direction="higher_better",
        cadence="year",
        reporter="SNV",
        levels=WHOLE_TREE,
        valid_range=(0, 100),
        targets=True,
        description_vi="Tổng điểm 8 lĩnh vực (thang 100); Bộ Nội vụ công bố cho tỉnh, tỉnh đánh giá sở, xã.",
        description_en="The sum of the 8 areas' points (of 100); the Ministry of Home Affairs scores "
        "provinces, provinces their departments and communes.",
    )
)
for area, area_vi, area_en, points in PAR_AREAS:
    registry.register(
        Indicator(
            code=f"par_{area}",
            name_vi=f"PAR Index: {area_vi}",
            name_en=f"PAR Index: {area_en.lower()}",
            unit_vi="điểm",
            unit_en="points",
            aggregation="mean",
            direction="higher_better",
            cadence="year",
            reporter="SNV",
            levels=WHOLE_TREE,
            valid_range=(0, points),
            description_vi=f"Điểm lĩnh vực «{area_vi}» (tối đa {points} điểm).",
            description_en=f"Points of the area {area_en!r} (at most {points}).",
        )
    )

# DTI (Chỉ số chuyển đổi số): 0–1; the province's published by the ministry, its communes and
# departments scored by the province; three pillars for areas (departments: digital government only).
DTI_PILLARS = (
    ("government", "Chính quyền số", "Digital government"),
    ("economy", "Kinh tế số", "Digital economy"),
    ("society", "Xã hội số", "Digital society"),
)
registry.register(
    Indicator(
        code="dti",
        name_vi="Chỉ số chuyển đổi số (DTI)",
        name_en="Digital transformation index (DTI)",
        unit_vi="điểm (0–1)",
        unit_en="score (0–1)",
        aggregation="mean",
        direction="higher_better",
        cadence="year",
        reporter="SKHCN",
        levels=WHOLE_TREE,
        valid_range=(0, 1),
        targets=True,
        description_vi="Mức độ chuyển đổi số (thang 0–1): chính quyền số, kinh tế số, xã hội số.",
        description_en="Digital transformation (0–1): digital government, economy and society.",
    )
)
for pillar, pillar_vi, pillar_en in DTI_PILLARS:
    registry.register(
        Indicator(
            code=f"dti_{pillar}",
            name_vi=f"DTI: {pillar_vi}",
            name_en=f"DTI: {pillar_en.lower()}",
            unit_vi="điểm (0–1)",
            unit_en="score (0–1)",
            aggregation="mean",
            direction="higher_better",
            cadence="year",
            reporter="SKHCN",
            levels=("province", "commune"),
            valid_range=(0, 1),
            description_vi=f"Trụ cột «{pillar_vi}» của chỉ số chuyển đổi số (0–1).",
            description_en=f"The DTI pillar {pillar_en!r} (0–1).",
        )
    )
registry.register(
    Indicator(
        code="budget_spending",
        name_vi="Chi ngân sách địa phương",
        name_en="Local budget spending",
        unit_vi="triệu đồng",
        unit_en="million VND",
        aggregation="sum",
        direction="higher_better",
        cadence="quarter",
        reporter="STC",
        levels=AREAS,
        valid_range=(0, None),
        targets=True,
        description_vi="Số chi ngân sách trong quý, so với dự toán năm và quý (tiến độ giải ngân).",
        description_en="Budget spent in the quarter, against the year's and the quarter's estimate.",
    )
)
registry.register(
    Indicator(
        code="tourist_arrivals",
        name_vi="Lượt khách du lịch",
        name_en="Tourist arrivals",
        unit_vi="lượt khách",
        unit_en="visitors",
        aggregation="sum",
        direction="higher_better",
        cadence="month",
        reporter="SVHTTDL",
        levels=AREAS,
        valid_range=(0, 10_000_000),
        targets=True,
        description_vi="Lượt khách du lịch đến trong tháng (trong nước và quốc tế).",
        description_en="Visitors arriving in the month (domestic and international).",
    )
)
