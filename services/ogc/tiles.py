"""OGC API – Tiles for each collection: pygeoapi's tile routes, our cached ST_AsMVT tiles."""

from __future__ import annotations

from pygeoapi.models.provider.base import LinkType, TileSetMetadata
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.tile import ProviderTileNotFoundError
from pygeoapi.util import url_join

from layers.registry import registry
from services.ogc.provider import REQUEST, RequestState
from tiles import service
from tiles.grid import Tile, TileOutOfRange
from tiles.mvt import TileFilter


class LayerTileProvider(BaseMVTProvider):
    """Vector tiles of one registry layer in WebMercatorQuad, from the same cache as /tiles."""

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        self.layer = registry.get(provider_def["data"])
        self._fields = {}

    def __repr__(self) -> str:
        return f"<LayerTileProvider> {self.layer.id}"

    def get_layer(self) -> str:
        return self.layer.id

    def get_fields(self) -> dict:
        return self._fields

    def get_tiles_service(self, baseurl: str | None = None, servicepath: str | None = None,
                          dirpath: str | None = None, tile_type: str | None = None) -> dict:
        self._service_url = servicepath
        return self.get_tms_links()

    def get_tiles(self, layer: str | None = None, tileset: str | None = None, z: str | None = None,
                  y: str | None = None, x: str | None = None, format_: str | None = None) -> bytes:
        """The tile {tileMatrix}/{tileRow}/{tileCol} = z/y/x of WebMercatorQuad."""
        if tileset != "WebMercatorQuad":
            raise ProviderTileNotFoundError(user_msg=f"unknown tile matrix set {tileset!r}")
        try:
            tile = Tile.checked(int(z), int(x), int(y))
        except (TileOutOfRange, ValueError) as exc:
            raise ProviderTileNotFoundError(user_msg=str(exc)) from None
        return service.render(self.layer.id, tile, TileFilter(), REQUEST.get(RequestState()).viewer).content

    def get_html_metadata(self, dataset: str, server_url: str, layer: str, tileset: str, title: str,
                          description: str, keywords: list, **kwargs: object) -> dict:
        return self.get_default_metadata(dataset, server_url, layer, tileset, title, description, keywords)

    def get_default_metadata(self, dataset: str, server_url: str, layer: str, tileset: str, title: str,
                             description: str, keywords: list, **kwargs: object) -> dict:
        """TileSet metadata with the tiling-scheme link and the tile URL template."""
        scheme = next(s for s in self.get_tiling_schemes() if s.tileMatrixSet == tileset)
        content = TileSetMetadata(title=title, description=description, keywords=keywords, crs=scheme.crs,
                                  tileMatrixSetURI=scheme.tileMatrixSetURI)
        content.links = [
            LinkType(href=url_join(server_url, "TileMatrixSets", tileset), type="application/json",
                     rel="http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", title=f"{tileset}"),
            LinkType(href=url_join(server_url, f"collections/{dataset}/tiles/{tileset}",
                                   "{tileMatrix}/{tileRow}/{tileCol}?f=mvt"),
                     rel="item", type="application/vnd.mapbox-vector-tile", title="Vector tiles"),
        ]
        return content.model_dump(exclude_none=True, by_alias=True)
