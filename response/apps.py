"""App config of incident response."""

from django.apps import AppConfig


class ResponseConfig(AppConfig):
    name = "response"
    verbose_name = "Ứng phó sự cố / Incident response"
