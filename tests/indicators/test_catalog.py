"""The indicator catalogue: its declarations pass the system checks, a bad one is refused with the
indicator and the option named, and GET /api/hub/indicators gives it in vi and en; the values API's
refusals name the parameter."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indicators.checks import declaration_errors
from indicators.registry import Indicator, IndicatorRegistry, registry

GOOD = Indicator(
    code="good",
    name_vi="Tốt",
    name_en="Good",
    unit_vi="hộ",
    unit_en="households",
    aggregation="sum",
    direction="higher_better",
    cadence="year",
    reporter="area",
    levels=("commune",),
)


def test_the_catalogue_passes_its_checks():
    assert declaration_errors(registry) == []
    assert [i.code for i in registry] == [
        "budget_revenue",
        "new_businesses",
        "households",
        "poor_household_rate",
        "sipas",
        "staff_headcount",
        "dossiers_received",
        "dossiers_on_time",
        *(f"staff_grade_{grade}" for grade in ("senior", "principal", "specialist", "clerk")),
        "par_index",
        *(f"par_{area}" for area in ("direction", "institutions", "procedures", "organisation",
                                     "civil_service", "public_finance", "digital_government", "impact")),
        "dti",
        *(f"dti_{pillar}" for pillar in ("government", "economy", "society")),
        "budget_spending",
        "tourist_arrivals",
    ]


@pytest.mark.parametrize(
    ("change", "error_id", "words"),
    [
        ({"code": "Bad Code"}, "indicators.E001", "the code"),
        ({"aggregation": "median"}, "indicators.E002", "aggregation 'median' is unknown"),
        ({"cadence": "fortnight"}, "indicators.E002", "cadence 'fortnight' is unknown"),
        ({"direction": "up"}, "indicators.E002", "direction 'up' is unknown"),
        ({"levels": ("ward",)}, "indicators.E003", "levels ['ward']"),
        ({"levels": ()}, "indicators.E003", "levels []"),
        ({"name_en": " "}, "indicators.E004", "name_en is empty"),
        ({"reporter": "Sở Tài chính"}, "indicators.E005", "reporter 'Sở Tài chính'"),
        ({"valid_range": (100, 0)}, "indicators.E006", "valid_range (100, 0) is empty"),
        (
            {"weight": "households"},
            "indicators.E007",
            "weight 'households' is given but aggregation is 'sum'",
        ),
        ({"aggregation": "weighted_mean"}, "indicators.E008", "needs a declared weight indicator, not None"),
        ({"aggregation": "weighted_mean", "weight": "nowhere"}, "indicators.E008", "not 'nowhere'"),
        (
            {"aggregation": "weighted_mean", "weight": "monthly"},
            "indicators.E009",
            "must have the cadence 'year'",
        ),
    ],
)
def test_a_bad_declaration_is_refused_naming_the_indicator_and_option(change, error_id, words):
    indicators = IndicatorRegistry()
    indicators.register(replace(GOOD, code="monthly", cadence="month"))
    bad = indicators.register(replace(GOOD, **change))
    errors = [e for e in declaration_errors(indicators) if e.obj == f"indicators.catalog:{bad.code}"]
    assert [e.id for e in errors] == [error_id]
    assert errors[0].msg.startswith(f"indicator {bad.code!r}: ") and words in errors[0].msg


def test_ioc_check_runs_the_indicator_checks(monkeypatch):
    from django.core import checks

    monkeypatch.setattr("indicators.checks.registry", IndicatorRegistry())
    from indicators import checks as hub_checks

    hub_checks.registry.register(replace(GOOD, aggregation="median"))
    assert [e.id for e in checks.run_checks(tags=["indicators"])] == ["indicators.E002"]


def test_the_catalogue_api_in_both_languages(client):
    vi = client.get("/api/hub/indicators").json()["indicators"]
    en = client.get("/api/hub/indicators?lang=en").json()["indicators"]
    assert [i["code"] for i in vi] == [i.code for i in registry]
    revenue = vi[0]
    assert revenue == {
        "code": "budget_revenue",
        "name": "Thu ngân sách nhà nước trên địa bàn",
        "name_vi": "Thu ngân sách nhà nước trên địa bàn",
        "name_en": "State budget revenue collected",
        "unit": "triệu đồng",
        "aggregation": "sum",
        "weight": None,
        "direction": "higher_better",
        "cadence": "quarter",
        "reporter": "STC",
        "levels": ["province", "district", "commune"],
        "valid_range": {"min": 0, "max": None},
        "targets": True,
        "description": "Số thu ngân sách trong quý, so với dự toán (kế hoạch) năm và quý.",
    }
    assert en[0]["name"] == "State budget revenue collected" and en[0]["unit"] == "million VND"
    assert en[3]["aggregation"] == "weighted_mean" and en[3]["weight"] == "households"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "vi", "en"),
    [
        (
            {"unit": "T101", "from": "2025"},
            400,
            "indicator: thiếu tham số «indicator»",
            "indicator: the parameter 'indicator' is missing",
        ),
        (
            {"indicator": "gdp", "unit": "T101", "from": "2025"},
            404,
            "không có chỉ tiêu «gdp»",
            "unknown indicator 'gdp'",
        ),
        (
            {"indicator": "sipas", "unit": "nowhere", "from": "2025"},
            404,
            "unit: không có đơn vị mã «nowhere»",
            "unit: no unit with code 'nowhere' on 2025-12-31",
        ),
        (
            {"indicator": "sipas", "unit": "T132", "from": "2024"},
            400,
            "unit: chỉ tiêu sipas không áp dụng cho cấp huyện (Huyện Một)",
            "unit: sipas does not apply to the level district (T132)",
        ),
        (
            {"indicator": "budget_revenue", "unit": "T101", "period": "month", "from": "2025-01"},
            400,
            "period: chỉ tiêu budget_revenue báo cáo theo quý, không chia được theo tháng",
            "period: budget_revenue is reported by quarter",
        ),
        (
            {"indicator": "sipas", "unit": "T101", "period": "decade", "from": "2025"},
            400,
            "period: «decade»",
            "period: 'decade' is no period kind",
        ),
        (
            {"indicator": "sipas", "unit": "T101", "from": "last year"},
            400,
            "from: «last year» không phải một kỳ",
            "from: 'last year' names no period",
        ),
        (
            {"indicator": "sipas", "unit": "T101", "from": "2025", "to": "2024"},
            400,
            "to: từ 2025 đến 2024",
            "to: 2025 to 2024 must run forward",
        ),
    ],
    ids=["missing", "unknown-indicator", "unknown-unit", "level", "finer", "kind", "period", "backwards"],
)
def test_a_refusal_names_the_parameter(hub_units, client, params, status, vi, en):
    answer_vi = client.get("/api/hub/values", params)
    answer_en = client.get("/api/hub/values", {**params, "lang": "en"})
    assert answer_vi.status_code == answer_en.status_code == status
    assert answer_vi.json()["description"].startswith(vi), answer_vi.json()
    assert answer_en.json()["description"].startswith(en), answer_en.json()
