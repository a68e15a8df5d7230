"""A year's notices and the office hours, as data an administrator edits in Django admin."""

from __future__ import annotations

from datetime import time

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from workdays.calendar import AFTERNOON, MORNING, WEEKDAYS, DayDecision, OfficeSchedule

IN_ORDER = ("Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc / "
            "Office hours must be in order: morning start < morning end ≤ afternoon start < afternoon end")


class CalendarDay(models.Model):
    """One day of a year's notice that differs from the rules: an extra day off, a substitute day off, or
    a weekend day worked in a swap (hoán đổi). A row wins over the holidays package and the weekdays."""

    day = models.DateField("Ngày / Day", unique=True)
    working = models.BooleanField(
        "Ngày làm việc / Working day", default=False,
        help_text="Đánh dấu: ngày đi làm (ví dụ thứ Bảy làm bù); để trống: ngày nghỉ. / "
                  "Ticked: a working day (e.g. a Saturday worked in a swap); not ticked: a day off.")
    name_vi = models.CharField("Tên (tiếng Việt)", max_length=200)
    name_en = models.CharField("Name (English)", max_length=200, blank=True)
    source = models.CharField("Văn bản / Notice", max_length=200, blank=True,
                              help_text="Ví dụ / e.g. TB 9441/TB-BNV")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "Ngày nghỉ, ngày làm bù / Calendar day"
        verbose_name_plural = "Ngày nghỉ, ngày làm bù / Calendar days"

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name_vi}"

    @property
    def decision(self) -> DayDecision:
        return DayDecision(self.day, self.working, self.name_vi, self.name_en, self.source)


class OfficeHours(models.Model):
    """Office hours from a date on (until the next row); the earliest row also covers earlier days."""

    valid_from = models.DateField("Áp dụng từ / Valid from", unique=True)
    weekdays = models.CharField(
        "Ngày làm việc trong tuần / Working weekdays", max_length=7, default=WEEKDAYS,
        validators=[RegexValidator(r"^[1-7]{1,7}$", "Các chữ số 1–7 / digits 1–7, e.g. 12345")],
        help_text="1 = thứ Hai / Monday … 7 = Chủ nhật / Sunday; 12345 = thứ Hai–thứ Sáu / Monday–Friday")
    morning_start = models.TimeField("Sáng bắt đầu / Morning start", default=MORNING[0])
    morning_end = models.TimeField("Sáng kết thúc / Morning end", default=MORNING[1])
    afternoon_start = models.TimeField("Chiều bắt đầu / Afternoon start", default=AFTERNOON[0])
    afternoon_end = models.TimeField("Chiều kết thúc / Afternoon end", default=AFTERNOON[1])

    class Meta:
        ordering = ["valid_from"]
        verbose_name = "Giờ làm việc / Office hours"
        verbose_name_plural = "Giờ làm việc / Office hours"
        constraints = [models.CheckConstraint(
            condition=Q(morning_start__lt=F("morning_end"), morning_end__lte=F("afternoon_start"),
                        afternoon_start__lt=F("afternoon_end")),
            name="workdays_office_hours_in_order", violation_error_message=IN_ORDER)]

    def __str__(self) -> str:
        return f"{self.valid_from.isoformat()}: {_hm(self.morning_start)}–{_hm(self.morning_end)}, " \
               f"{_hm(self.afternoon_start)}–{_hm(self.afternoon_end)}"

    @property
    def schedule(self) -> OfficeSchedule:
        sessions = ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))
        return OfficeSchedule(self.valid_from, frozenset(int(digit) for digit in self.weekdays), sessions)


def _hm(value: time) -> str:
    return value.strftime("%H:%M")
