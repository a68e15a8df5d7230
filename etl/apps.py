"""App config of the importers."""

from django.apps import AppConfig


class EtlConfig(AppConfig):
    name = "etl"
    verbose_name = "Nhập dữ liệu / Imports"
