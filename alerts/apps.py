"""App config of alert rules and alerts."""

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Cảnh báo / Alerts"
