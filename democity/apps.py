"""App config of the demo city."""

from django.apps import AppConfig


class DemoCityConfig(AppConfig):
    name = "democity"
    verbose_name = "Thành phố demo / Demo city"
