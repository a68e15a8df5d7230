"""Writing rendered rasters as Cloud-Optimized GeoTIFFs, and describing a COG on disk."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import rasterio
from rasterio.enums import ColorInterp

from tiles.raster.rendered import Rendered

logger = logging.getLogger(__name__)

CRS = "EPSG:3857"
BLOCK_SIZE = 512


@dataclass(frozen=True)
class CogInfo:
    """What a client needs to know to trust a file as a COG."""

    path: Path
    layout: str  # "COG" when GDAL recognises the layout
    tiled: bool
    block_size: tuple[int, int]
    overviews: tuple[int, ...]
    epsg: int | None
    bounds: tuple[float, float, float, float]
    width: int
    height: int
    size_bytes: int
    has_mask: bool


def write_cog(rendered: Rendered, path: Path, *, quality: int, tags: dict[str, str]) -> Path:
    """Write `rendered` to `path` as a JPEG-compressed COG with overviews and its mask; atomic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    grid = rendered.grid
    profile = {
        "driver": "COG", "width": grid.width, "height": grid.height, "count": 3, "dtype": "uint8",
        "crs": CRS, "transform": grid.transform, "compress": "JPEG", "quality": quality,
        "blocksize": BLOCK_SIZE, "overview_resampling": "average", "bigtiff": "NO", "num_threads": "ALL_CPUS",
    }
    try:
        with rasterio.open(partial, "w", **profile) as dst:
            dst.colorinterp = (ColorInterp.red, ColorInterp.green, ColorInterp.blue)
            dst.write(rendered.rgb)
            if rendered.mask is not None:
                dst.write_mask(rendered.mask)
            dst.update_tags(**tags)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    logger.info("wrote %s (%d × %d px, %.1f MB)", path, grid.width, grid.height, path.stat().st_size / 1e6)
    return path


def describe(path: Path) -> CogInfo:
    """The layout, tiling, overviews, CRS and size of the GeoTIFF at `path`."""
    with rasterio.open(path) as src:
        return CogInfo(
            path=path,
            layout=src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT", ""),
            tiled=bool(src.profile.get("tiled")),
            block_size=src.block_shapes[0],
            overviews=tuple(src.overviews(1)),
            epsg=src.crs.to_epsg() if src.crs else None,
            bounds=tuple(src.bounds),
            width=src.width,
            height=src.height,
            size_bytes=path.stat().st_size,
            has_mask=any(flag.name == "per_dataset" for flag in src.mask_flag_enums[0]),
        )
