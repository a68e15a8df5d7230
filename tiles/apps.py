"""App config of the tiles (vector tiles, rasters)."""

from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "Tile bản đồ / Map tiles"
