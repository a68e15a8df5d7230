"""App config of the working calendar."""

from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = "Lịch làm việc / Working calendar"
