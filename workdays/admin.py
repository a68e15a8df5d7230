"""Admin pages for a year's notices (days off, swapped working days) and the office hours."""

from __future__ import annotations

from django.contrib import admin

from workdays.models import CalendarDay, OfficeHours

WEEKDAY_NAMES = ("Thứ Hai / Monday", "Thứ Ba / Tuesday", "Thứ Tư / Wednesday", "Thứ Năm / Thursday",
                 "Thứ Sáu / Friday", "Thứ Bảy / Saturday", "Chủ nhật / Sunday")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "weekday", "working", "name_vi", "name_en", "source")
    list_filter = ("working",)
    date_hierarchy = "day"
    search_fields = ("name_vi", "name_en", "source")

    @admin.display(description="Thứ / Weekday", ordering="day")
    def weekday(self, row: CalendarDay) -> str:
        return WEEKDAY_NAMES[row.day.weekday()]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "weekdays", "morning_start", "morning_end", "afternoon_start",
                    "afternoon_end")
