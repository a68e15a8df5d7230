"""App config of citizen feedback handling."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Phản ánh kiến nghị / Citizen feedback"

    def ready(self) -> None:
        from feedback import workflow

        workflow.connect()
