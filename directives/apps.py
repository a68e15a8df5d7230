"""App config of leaders' directives."""

from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = "Chỉ đạo / Directives"

    def ready(self) -> None:
        from directives import announcements, placement
        from directives.models import Directive

        placement.connect(Directive)
        announcements.connect(Directive)
