"""The stored report of every import run, and the record of the demo city loaded."""

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

    class Meta:
        verbose_name = "Báo cáo nhập dữ liệu"
        ordering = ["-started_at"]


class DemoCity(models.Model):
    """The synthetic demo city in this database, one row written by `ioc load_demo`.

    Its events cover the 90 whole days before `today` and its ward indicators the 24 months before
    that month, whenever it was loaded: whatever must agree with them (the tests) takes its dates
    from here, never from the calendar.
    """

    today = models.DateField()
    loaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "Thành phố demo"

    def __str__(self) -> str:
        return f"demo city of {self.today.isoformat()}"

    @classmethod
    def current(cls) -> DemoCity:
        """The demo city loaded here; DoesNotExist, saying how to get one, when there is none."""
        found = cls.objects.order_by("-loaded_at").first()
        if found is None:
            raise cls.DoesNotExist("no demo city is recorded in this database: run `ioc load_demo` on an "
                                   "empty database (tests: --create-db)")
        return found

    def window(self, days: int | None = None):
        """The last `days` whole days of its events (all 90 by default), as an etl.demo Window:
        [start, end) in local time, `end` being its `today` at 00:00."""
        from etl.demo.timeline import WINDOW_DAYS, Window

        return Window(self.today, days or WINDOW_DAYS)

    def indicator_months(self) -> list[str]:
        """The months of its ward indicators, oldest first ('2025-01', …)."""
        from etl.demo.observations import indicator_months

        return [month.strftime("%Y-%m") for month in indicator_months(self.today)]
