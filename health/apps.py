"""App config of the epidemic watch: cases per commune per day (aggregated, never persons), isolation and
vaccination sites, the 7-day incidence (layers declared in health/catalog.py)."""

from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = "Giám sát dịch bệnh / Epidemic watch"
