"""The raster layers, declared once: MapProxy layers, caches, seeds and files derive from this list."""

from __future__ import annotations

from dataclasses import dataclass

from spatial.errors import NotFound


@dataclass(frozen=True)
class RasterLayer:
    """One raster published through MapProxy.

    `renderer` is the dotted path of a function `(RasterGrid) -> Rendered`; `resolution_m` is the
    pixel size in EPSG:3857 metres (about 0.93 m on the ground at Yên Bái's latitude).
    """

    id: str
    title_vi: str
    title_en: str
    abstract_vi: str
    abstract_en: str
    renderer: str
    resolution_m: float
    jpeg_quality: int
    seed_to_level: int = 16

    @property
    def title(self) -> str:
        return f"{self.title_vi} / {self.title_en}"

    @property
    def abstract(self) -> str:
        return f"{self.abstract_vi} / {self.abstract_en}"

    @property
    def file_name(self) -> str:
        return f"{self.id}.tif"

    @property
    def cache_name(self) -> str:
        return f"{self.id}_cache"

    @property
    def source_name(self) -> str:
        return f"{self.id}_cog"


RASTERS: tuple[RasterLayer, ...] = (
    RasterLayer(
        id="orthophoto",
        title_vi="Ảnh trực giao",
        title_en="Orthophoto",
        abstract_vi="Ảnh giả lập sinh từ dữ liệu demo (tổng hợp), không phải ảnh chụp thật",
        abstract_en="Simulated image rendered from the synthetic demo data, not a real photograph",
        renderer="tiles.raster.orthophoto.render",
        resolution_m=2.0,
        jpeg_quality=85,
    ),
    RasterLayer(
        id="zoning_plan",
        title_vi="Bản đồ quy hoạch (bản quét)",
        title_en="Zoning plan (scan)",
        abstract_vi="Bản quét giả lập của các đồ án quy hoạch demo (tổng hợp)",
        abstract_en="Simulated scan of the synthetic demo zoning plans",
        renderer="tiles.raster.zoning_scan.render",
        resolution_m=3.0,
        jpeg_quality=80,
    ),
)


def raster_layer(layer_id: str) -> RasterLayer:
    """The raster layer called `layer_id`, or NotFound naming the ones that exist."""
    for layer in RASTERS:
        if layer.id == layer_id:
            return layer
    names = ", ".join(layer.id for layer in RASTERS)
    raise NotFound(f"no raster layer {layer_id!r}; raster layers are: {names}")
