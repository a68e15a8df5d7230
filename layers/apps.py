"""App config: installs the database hooks derived from the registry after each migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Lớp dữ liệu / Layers"

    def ready(self) -> None:
        from layers import catalog, checks, db_hooks  # noqa: F401  (catalog fills the registry; checks register)

        post_migrate.connect(db_hooks.install_after_migrate, sender=self)
