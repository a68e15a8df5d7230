"""MapProxy plugin: source `type: cog` rendering any map request from a local Cloud-Optimized GeoTIFF.

MapProxy 7 has no GeoTIFF source. This one reads the COG through a rasterio WarpedVRT (so the
COG's overviews serve small scales) and reprojects to the request's CRS. It registers itself
through the `mapproxy` entry point (`cog = "tiles.raster.mapproxy_cog"`), which makes the stock
`mapproxy-seed` and `mapproxy-util` understand it; in-process callers call `plugin_entrypoint()`.
No Django import here: MapProxy's command-line tools load this module on their own.
"""

from __future__ import annotations

import logging

import numpy as np
import rasterio
from mapproxy.config.configuration.source import SourceConfiguration, register_source_configuration
from mapproxy.config.spec import required
from mapproxy.extent import MapExtent
from mapproxy.image import ImageResult
from mapproxy.image.opts import ImageOptions
from mapproxy.layer import BlankImageError
from mapproxy.layer.map_layer import MapLayer
from mapproxy.query import MapQuery
from mapproxy.srs import SRS
from PIL import Image
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError
from rasterio.transform import Affine
from rasterio.vrt import WarpedVRT

logger = logging.getLogger(__name__)

SOURCE_TYPE = "cog"


class CogSource(MapLayer):
    """A map layer answering each query with the COG's pixels warped onto the query's bbox and size."""

    supports_meta_tiles = True

    def __init__(self, path: str, image_opts: ImageOptions | None = None) -> None:
        super().__init__(image_opts=image_opts or ImageOptions(transparent=True, format="image/png"))
        self.path = path
        try:
            with rasterio.open(path) as src:
                self.srs = SRS(src.crs.to_epsg())
                self.extent = MapExtent(tuple(src.bounds), self.srs)
                self.resolution = src.res[0]
                self.overview_factors = tuple(src.overviews(1))
        except RasterioIOError as exc:
            message = f"cannot open the COG {path}: {exc}; generate it with `ioc rasters`"
            raise FileNotFoundError(message) from exc

    def overview_level(self, query: MapQuery) -> int | None:
        """The coarsest overview (0 = the first) still at least as fine as the query; None = full size.

        A WarpedVRT reads the source at full resolution unless told otherwise, which would read the
        whole raster for every low-zoom tile.
        """
        minx, _, maxx, _ = MapExtent(query.bbox, query.srs).bbox_for(self.srs)
        wanted = (maxx - minx) / query.size[0]
        level = None
        for index, factor in enumerate(self.overview_factors):
            if self.resolution * factor <= wanted:
                level = index
        return level

    def get_map(self, query: MapQuery) -> ImageResult:
        """RGBA of `query.bbox` (x/y order in `query.srs`) at `query.size`; transparent outside the data."""
        if not self.extent.intersects(MapExtent(query.bbox, query.srs)):
            raise BlankImageError()
        width, height = query.size
        minx, miny, maxx, maxy = query.bbox
        transform = Affine((maxx - minx) / width, 0.0, minx, 0.0, -(maxy - miny) / height, maxy)
        options = {} if (level := self.overview_level(query)) is None else {"overview_level": level}
        with rasterio.open(self.path, **options) as src, WarpedVRT(
            src, crs=query.srs.srs_code, transform=transform, width=width, height=height,
            resampling=Resampling.bilinear, add_alpha=True,  # alpha: the COG's mask, 0 outside it
        ) as vrt:
            rgba = vrt.read(indexes=[1, 2, 3, vrt.count])
        image = Image.fromarray(np.ascontiguousarray(rgba.transpose(1, 2, 0)))
        return ImageResult(image, size=query.size, image_opts=self.image_opts)


class CogSourceConfiguration(SourceConfiguration):
    source_type = (SOURCE_TYPE,)
    required_keys = {"file"}

    def source(self, params: dict | None = None) -> CogSource:
        return CogSource(self.context.globals.abspath(self.conf["file"]), image_opts=self.image_opts())


def plugin_entrypoint() -> None:
    """Register `type: cog` with MapProxy (idempotent); MapProxy calls this for the entry point."""
    register_source_configuration(
        SOURCE_TYPE, CogSourceConfiguration, SOURCE_TYPE,
        {required("file"): "", "image": {}, "coverage": {}, "seed_only": False},
    )
