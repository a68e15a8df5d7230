"""The 2026 notices and the default office hours, frozen here as rows (no application module imported).

Tết 16–20/2/2026 (TB 9441/TB-BNV); Giỗ Tổ on Sunday 26/4/2026, so Monday 27/4 is off (Art. 111(3) BLLĐ
2019); 24/11 Ngày Văn hóa Việt Nam, a paid day off from 2026 (NQ 80-NQ/TW; NQ 28/2026/QH16) [U].
Office hours 07:30–11:30 and 13:30–17:00, Monday–Friday [U].
"""

import datetime

from django.db import migrations

TET = "TB 9441/TB-BNV"
DAYS = [
    (datetime.date(2026, 2, 16), False, "Giao thừa Tết Nguyên Đán", "Lunar New Year's Eve", TET),
    (datetime.date(2026, 2, 17), False, "Tết Nguyên Đán", "Lunar New Year", TET),
    (datetime.date(2026, 2, 18), False, "Mùng hai Tết Nguyên Đán", "Second Day of Lunar New Year", TET),
    (datetime.date(2026, 2, 19), False, "Mùng ba Tết Nguyên Đán", "Third Day of Lunar New Year", TET),
    (datetime.date(2026, 2, 20), False, "Mùng bốn Tết Nguyên Đán", "Fourth Day of Lunar New Year", TET),
    (datetime.date(2026, 4, 27), False, "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
     "Hung Kings' Commemoration Day (observed)", "Art. 111(3) BLLĐ 2019: Giỗ Tổ on Sunday 26/4"),
    (datetime.date(2026, 11, 24), False, "Ngày Văn hóa Việt Nam", "Vietnam Cultural Day", "NQ 28/2026/QH16"),
]
OFFICE_HOURS = {
    "valid_from": datetime.date(2000, 1, 1), "weekdays": "12345",
    "morning_start": datetime.time(7, 30), "morning_end": datetime.time(11, 30),
    "afternoon_start": datetime.time(13, 30), "afternoon_end": datetime.time(17, 0),
}


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    OfficeHours = apps.get_model("workdays", "OfficeHours")
    for day, working, name_vi, name_en, source in DAYS:
        CalendarDay.objects.get_or_create(
            day=day, defaults={"working": working, "name_vi": name_vi, "name_en": name_en, "source": source})
    if not OfficeHours.objects.exists():
        OfficeHours.objects.create(**OFFICE_HOURS)


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    OfficeHours = apps.get_model("workdays", "OfficeHours")
    CalendarDay.objects.filter(day__in=[row[0] for row in DAYS]).delete()
    OfficeHours.objects.filter(**OFFICE_HOURS).delete()


class Migration(migrations.Migration):

    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
