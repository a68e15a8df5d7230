"""What an administrator sets for citizen feedback: routing rules and each category's policy."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from layers.vocabularies import REPORT_CATEGORY

DEADLINE_UNITS = [("days", "Ngày làm việc / Working days"), ("hours", "Giờ làm việc / Working hours")]


class RoutingRule(models.Model):
    """Reports of `category` made in `ward` (blank: anywhere) go to `unit`."""

    category = models.CharField("Lĩnh vực", max_length=20, choices=REPORT_CATEGORY.choices)
    ward = models.ForeignKey("layers.AdminUnit", verbose_name="Phường/xã", null=True, blank=True,
                             on_delete=models.CASCADE, limit_choices_to={"level": "commune"},
                             related_name="+", help_text="Để trống: mọi phường/xã / blank: anywhere")
    unit = models.ForeignKey("layers.ResponsibleUnit", verbose_name="Đơn vị xử lý", on_delete=models.PROTECT,
                             related_name="routing_rules")
    note = models.CharField("Ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "Quy tắc chuyển xử lý"
        constraints = [
            models.UniqueConstraint(fields=["category", "ward"], name="routing_rule_per_ward"),
            models.UniqueConstraint(fields=["category"], condition=Q(ward__isnull=True),
                                    name="routing_rule_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.ward or '*'} → {self.unit}"


class CategoryPolicy(models.Model):
    """How reports of one category are handled: the deadline on the working calendar, what counts as
    a likely duplicate, and how long a citizen may reopen a resolved report. The values are local
    rules (DOMAIN: not fixed nationally), so they are data."""

    category = models.CharField("Lĩnh vực", max_length=20, choices=REPORT_CATEGORY.choices, unique=True)
    deadline = models.PositiveSmallIntegerField("Thời hạn xử lý", default=15)
    deadline_unit = models.CharField("Đơn vị thời hạn", max_length=5, choices=DEADLINE_UNITS, default="days")
    duplicate_radius_m = models.PositiveIntegerField("Bán kính trùng lặp (m)", default=50)
    duplicate_hours = models.PositiveIntegerField("Khoảng thời gian trùng lặp (giờ)", default=72)
    reopen_days = models.PositiveSmallIntegerField("Số ngày được mở lại", default=7)

    class Meta:
        verbose_name = "Chính sách theo lĩnh vực"

    def __str__(self) -> str:
        return f"{self.category}: {self.deadline} {self.deadline_unit}"


class ReportPhoto(models.Model):
    """A photo sent with a report, re-encoded on arrival (no EXIF, no GPS tags; feedback.intake)."""

    report = models.ForeignKey("layers.CitizenReport", on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("Ảnh", upload_to="feedback/")  # named <report code>-<n>.jpg by feedback.intake
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Ảnh phản ánh"


class Submission(models.Model):
    """A report filed from a client address (its digest only): the per-address hourly limit."""

    address_digest = models.CharField(max_length=64, db_index=True)
    report = models.ForeignKey("layers.CitizenReport", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "Lượt gửi phản ánh"
