"""OGC API – Tiles for each collection: pygeoapi's tileset routes, our cached ST_AsMVT tiles."""

from __future__ import annotations

from http import HTTPStatus

from pygeoapi.api import API, SYSTEM_LOCALE, APIRequest
from pygeoapi.models.provider.base import LinkType, TileSetMetadata
from pygeoapi.plugin import load_plugin
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.tile import ProviderTileNotFoundError
from pygeoapi.util import filter_dict_by_key_value, get_provider_by_type, url_join

from layers.registry import registry
from spatial.access import Viewer
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
                  y: str | None = None, x: str | None = None, format_: str | None = None, *,
                  viewer: Viewer) -> bytes | None:
        """The tile {tileMatrix}/{tileRow}/{tileCol} = z/y/x of WebMercatorQuad, as `viewer` may see
        it (the fields a tile carries depend on the viewer's roles); None below the layer's min zoom,
        where every tile is empty."""
        if tileset != "WebMercatorQuad":
            raise ProviderTileNotFoundError(user_msg=f"unknown tile matrix set {tileset!r}")
        try:
            tile = Tile.checked(int(z), int(x), int(y))
        except (TileOutOfRange, ValueError) as exc:
            raise ProviderTileNotFoundError(user_msg=str(exc)) from None
        result = service.render(self.layer.id, tile, TileFilter(), viewer)
        return None if result.below_min_zoom else result.content

    def get_metadata(self, dataset: str, server_url: str, layer: str | None = None,
                     tileset: str | None = None, metadata_format: str | None = None,
                     title: str | None = None, description: str | None = None,
                     keywords: list | None = None, **kwargs: object) -> dict:
        """A tileset's metadata; without `f` (pygeoapi passes None) its JSON, not a 500."""
        return super().get_metadata(dataset, server_url, layer, tileset, metadata_format or "json", title,
                                    description, keywords, **kwargs)

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


def get_collection_tile(api: API, request: APIRequest, dataset: str, matrix_id: str, z: int, y: int, x: int,
                        viewer: Viewer) -> tuple[dict, int, bytes | str]:
    """One tile: pygeoapi's get_collection_tiles_data, handing the provider the viewer (pygeoapi's
    passes only the tile's address). Without `f`, errors are JSON whatever the Accept header says."""
    format_ = (request.params.get("f") or "").strip() or "mvt"
    headers = request.get_response_headers(SYSTEM_LOCALE, **api.api_headers)
    collections = filter_dict_by_key_value(api.config["resources"], "type", "collection")
    if dataset not in collections:
        return api.get_exception(HTTPStatus.NOT_FOUND, headers, format_, "NotFound", "Collection not found")
    definition = get_provider_by_type(collections[dataset]["providers"], "tile")
    provider = load_plugin("provider", definition)
    headers["Content-Type"] = definition["format"]["mimetype"]
    try:
        content = provider.get_tiles(layer=provider.get_layer(), tileset=matrix_id, z=z, y=y, x=x,
                                     format_=provider.format_type, viewer=viewer)
    except ProviderTileNotFoundError:
        return headers, HTTPStatus.NOT_FOUND, "Tile not found"
    if content is None:  # an empty tile: OGC API – Tiles allows 204 No Content
        del headers["Content-Type"]
        return headers, HTTPStatus.NO_CONTENT, b""
    return headers, HTTPStatus.OK, content
