"""App config of the indicator hub: the catalogue fills the registry, its checks register."""

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Chỉ tiêu / Indicators"

    def ready(self) -> None:
        from indicators import catalog, checks  # noqa: F401  (catalog fills the registry; checks register)
