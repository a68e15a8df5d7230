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
