"""App config of the project core."""

from django.apps import AppConfig


class SpatialConfig(AppConfig):
    name = "spatial"
    verbose_name = "Toàn Cảnh"
