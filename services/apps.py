"""App config of the services (OGC APIs, editing)."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "Dịch vụ / Services"
