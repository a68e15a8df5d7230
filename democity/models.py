"""The record of the demo city loaded in this database."""

from __future__ import annotations

from django.db import models


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
        db_table = "etl_democity"  # created by the importers' app before the demo city had its own

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
        """The last `days` whole days of its events (all 90 by default), as a democity.timeline.Window:
        [start, end) in local time, `end` being its `today` at 00:00."""
        from democity.timeline import WINDOW_DAYS, Window

        return Window(self.today, days or WINDOW_DAYS)

    def indicator_months(self) -> list[str]:
        """The months of its ward indicators, oldest first ('2025-01', …)."""
        from democity.observations import indicator_months

        return [month.strftime("%Y-%m") for month in indicator_months(self.today)]
