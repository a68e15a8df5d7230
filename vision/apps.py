"""App config of the camera AI."""

from django.apps import AppConfig


class VisionConfig(AppConfig):
    name = "vision"
    verbose_name = "Camera AI"
