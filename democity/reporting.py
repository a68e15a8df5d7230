"""The demo's monthly reports of the province's 14 departments (sở, ban, ngành), loaded with the demo
(`ioc load_demo`): the departments the demo lacks are made before democity.indicators (which places
them under the provinces and gives them their staff and indices); then each reports the dossiers it
received and settled on time every month from January of the year before `today`, on time (the third
day after the month), approved. The three of MISSING have not reported the last complete month: the
completeness table and map show them (docs/indicators.md#data-entry-and-completeness). The same day
gives the same figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from indicators.models import AgencyPlacement, IndicatorValue, PeriodReport
from indicators.periods import Period, between
from layers.models import AdminUnit, ResponsibleUnit

SEED = 2026
SOURCE = "demo"
# code, name, English name: the three departments of democity.units first, then those made here
DEPARTMENTS = (
    ("SXD", "Sở Xây dựng", "Department of Construction"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công", "Public Administration Service Centre"),
    ("STC", "Sở Tài chính", "Department of Finance"),
    ("SNV", "Sở Nội vụ", "Department of Home Affairs"),
    ("STP", "Sở Tư pháp", "Department of Justice"),
    ("SCT", "Sở Công Thương", "Department of Industry and Trade"),
    ("SYT", "Sở Y tế", "Department of Health"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Department of Ethnic and Religious Affairs"),
    ("SNGV", "Sở Ngoại vụ", "Department of Foreign Affairs"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", "Provincial Economic Zones Authority"),
)
MISSING = frozenset({"BQLKKT", "SDTTG", "SNGV"})  # have not reported the last complete month
INDICATORS = ("dossiers_received", "dossiers_on_time")


def make_departments() -> int:
    """The departments of DEPARTMENTS the demo lacks, made before the hub's demo (democity.indicators), which
    places every department under the provinces and gives each its staff and indices; how many were made."""
    made = 0
    for code, name, name_en in DEPARTMENTS:
        _unit, created = ResponsibleUnit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit_kind": "department",
                "email": f"{code.lower()}@demo.invalid",
                "head_email": f"lanhdao.{code.lower()}@demo.invalid",
            },
        )
        made += created
    return made


def _departments() -> list[ResponsibleUnit]:
    """The 14 departments, each placed under every province for its dates (where not yet placed)."""
    make_departments()
    provinces = list(AdminUnit.objects.filter(level="province").order_by("valid_from"))
    found = []
    for code, _name, _name_en in DEPARTMENTS:
        unit = ResponsibleUnit.objects.get(code=code)
        placed = set(AgencyPlacement.objects.filter(agency=unit).values_list("parent_id", flat=True))
        AgencyPlacement.objects.bulk_create(
            AgencyPlacement(
                agency=unit, parent=province, valid_from=province.valid_from, valid_to=province.valid_to
            )
            for province in provinces
            if province.pk not in placed
        )
        found.append(unit)
    return found


@transaction.atomic
def load(today: date) -> int:
    """Departments, placements and their monthly figures; the number of values written."""
    rng = np.random.default_rng(SEED)
    last = Period.holding("month", today.replace(day=1) - timedelta(days=1))
    months = between(Period.holding("month", date(today.year - 1, 1, 1)), last)
    values, reports = [], []
    moment = timezone.make_aware(datetime.combine(today, time(8)))  # nothing is sent after the demo's day
    for unit in _departments():
        base = rng.uniform(50.0, 90.0)
        for month in months:
            if month == last and unit.code in MISSING:
                continue
            sent = min(timezone.make_aware(datetime.combine(month.end + timedelta(days=2), time(9))), moment)
            received = round(base * rng.uniform(0.85, 1.15))
            settled = round(received * rng.uniform(0.85, 1.0))
            for code, value in zip(INDICATORS, (received, settled), strict=True):
                values.append(
                    IndicatorValue(
                        indicator=code,
                        agency=unit,
                        period_kind="month",
                        period_start=month.start,
                        value=value,
                        status="approved",
                        reported_at=sent,
                        source=SOURCE,
                    )
                )
            reports.append(
                PeriodReport(
                    agency=unit,
                    period_kind="month",
                    period_start=month.start,
                    status="approved",
                    submitted_at=sent,
                )
            )
    IndicatorValue.objects.bulk_create(values)
    PeriodReport.objects.bulk_create(reports)
    return len(values)
