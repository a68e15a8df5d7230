"""The stored report of every import run."""

from __future__ import annotations

from django.db import models


class ImportReport(models.Model):
    STATUSES = [("loaded", "Đã nạp / Loaded"), ("failed", "Thất bại / Failed"),
                ("dry_run", "Chạy thử / Dry run")]

    layer = models.CharField(max_length=40)
    source = models.CharField(max_length=500)
    mode = models.CharField(max_length=10)
    source_crs = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    started_at = models.DateTimeField()
    duration_s = models.FloatField(default=0)
    actor = models.CharField(max_length=150, blank=True)
    # {"inserted", "updated", "unchanged", "deleted", "refused"}: what the run did (a dry run: would do)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = "Báo cáo nhập dữ liệu"
        ordering = ["-started_at"]


class Harvest(models.Model):
    """A scheduled harvest: a remote source read every `every_minutes` and imported into a layer with a
    mapping, through the same engine as `ioc import` (etl.harvest). The last run's outcome is kept here;
    each run's full report is an ImportReport (actor `harvest:<code>`)."""

    KINDS = [("oapif", "OGC API – Features"), ("wfs", "WFS 2.0"),
             ("url", "Tệp CSV/GeoJSON qua URL / CSV or GeoJSON URL"),
             ("folder", "Thư mục / Folder")]
    OUTCOMES = [("loaded", "Đã nạp / Loaded"), ("unchanged", "Không đổi / Unchanged"),
                ("failed", "Lỗi / Failed")]

    code = models.SlugField("Mã", max_length=50, unique=True)
    layer = models.CharField("Lớp dữ liệu", max_length=40)
    kind = models.CharField("Loại nguồn", max_length=10, choices=KINDS)
    location = models.CharField("Địa chỉ nguồn", max_length=500,
                                help_text="URL của OGC API (…/collections/<id>), "
                                          "của WFS 2.0 (…/wfs?typeNames=<tên>), của tệp, hoặc thư mục")
    mapping = models.TextField("Ánh xạ cột (YAML)", blank=True)
    mode = models.CharField("Cách nạp", max_length=10, default="upsert",
                            choices=[("upsert", "upsert"), ("append", "append")])
    every_minutes = models.PositiveIntegerField("Chu kỳ (phút)", default=24 * 60)
    active = models.BooleanField("Đang dùng", default=True)
    last_run_at = models.DateTimeField("Lần chạy gần nhất", null=True, blank=True)
    last_outcome = models.CharField("Kết quả", max_length=10, choices=OUTCOMES, blank=True)
    last_message = models.TextField("Thông báo", blank=True)
    last_report = models.ForeignKey(ImportReport, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="Báo cáo nhập")

    class Meta:
        verbose_name = "Thu thập định kỳ"
        verbose_name_plural = "Thu thập định kỳ"

    def __str__(self) -> str:
        return f"{self.code} → {self.layer}"
