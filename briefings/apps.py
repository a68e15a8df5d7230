"""App config of the leaders' briefings: weekly and monthly PDF and XLSX reports, sent on a schedule."""

from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = "Báo cáo định kỳ / Briefings"
