"""App config of the services (OGC APIs, editing)."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "Dịch vụ / Services"

    def ready(self) -> None:
        from alerts.signals import alert_opened
        from services.response.by_rule import open_for_alert

        alert_opened.connect(open_for_alert, dispatch_uid="services.response.by_rule")
