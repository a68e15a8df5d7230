"""App config of the map wall."""

from django.apps import AppConfig


class WebMapConfig(AppConfig):
    name = "web_map"
    verbose_name = "Bản đồ điều hành / Map wall"
