"""App config of the notifications."""

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = "Thông báo / Notifications"
