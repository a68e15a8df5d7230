"""App config of leaders' directives."""

from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = "Chỉ đạo / Directives"
