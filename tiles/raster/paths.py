"""Where the raster COGs, the MapProxy configuration and its tile cache live (from settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from spatial.config import STATE_DIR
from tiles.raster.catalog import RasterLayer


@dataclass(frozen=True)
class RasterPaths:
    """`raster_dir` holds the COGs; `mapproxy_dir` holds mapproxy.yaml, seed.yaml and cache/."""

    raster_dir: Path
    mapproxy_dir: Path

    @classmethod
    def from_settings(cls) -> RasterPaths:
        """RASTER_DIR (IOC_RASTER_DIR) and MAPPROXY_DIR (IOC_MAPPROXY_DIR), by default under var/."""
        return cls(
            raster_dir=Path(getattr(settings, "RASTER_DIR", STATE_DIR / "rasters")),
            mapproxy_dir=Path(getattr(settings, "MAPPROXY_DIR", STATE_DIR / "mapproxy")),
        )

    @property
    def mapproxy_yaml(self) -> Path:
        return self.mapproxy_dir / "mapproxy.yaml"

    @property
    def seed_yaml(self) -> Path:
        return self.mapproxy_dir / "seed.yaml"

    @property
    def cache_dir(self) -> Path:
        return self.mapproxy_dir / "cache"

    def raster(self, layer: RasterLayer) -> Path:
        return self.raster_dir / layer.file_name

    def layer_cache(self, layer: RasterLayer) -> Path:
        """The tile cache folder of one layer: z/x/y.png with y from the north, as in XYZ URLs.

        (MapProxy's `tms` layout numbers rows from the grid's origin, which is north-west here.)
        """
        return self.cache_dir / layer.id
