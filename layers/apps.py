"""App config: fills the registry from every installed app's `catalog` module (this app's first),
as django.contrib.admin discovers `admin` modules, and installs the database hooks the registry
implies after each migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Lớp dữ liệu / Layers"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from layers import catalog, checks, db_hooks  # noqa: F401  (catalog fills the registry; checks register)

        autodiscover_modules("catalog")  # other apps' layers (IOC_LAYER_APPS), after ours

        post_migrate.connect(db_hooks.install_after_migrate, sender=self)
