"""HTTP adapters for vector tiles: /tiles/ catalog, TileJSON, and z/x/y.pbf with ETag caching."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from layers.models import AdminUnit
from layers.registry import registry
from spatial.access import Viewer
from spatial.errors import BadRequest
from spatial.params import datetime_interval
from spatial.vietnam import VIETNAM_BBOX
from tiles import extents, service
from tiles.grid import Tile
from tiles.mvt import TileFilter

MVT = "application/vnd.mapbox-vector-tile"
NO_FILTER = TileFilter()
WARD_ID = re.compile(r"[0-9]{1,4}")  # a ward's id; a longer number is its statistics code (04300)


def _ward(value: str | None) -> int | None:
    if not value:
        return None
    units = AdminUnit.objects.filter(level="commune")
    if WARD_ID.fullmatch(value):
        found = units.filter(pk=int(value))
    else:  # a code is printable text (PostgreSQL text cannot even hold a NUL)
        found = units.filter(code=value) if value.isprintable() else units.none()
    ward = found.order_by("-valid_from").values_list("pk", flat=True).first()
    if ward is None:
        raise BadRequest(f"ward: «{value}» không phải mã hay số hiệu phường/xã",
                         f"ward: {value!r} is not a ward id or code")
    return ward


def tile_filter(params: Mapping[str, str]) -> TileFilter:
    """The time window (`datetime`) and ward (`ward`, id or code) of a tile request's parameters."""
    if not params:
        return NO_FILTER
    start, end = datetime_interval(params.get("datetime"))
    return TileFilter(start=start, end=end, ward_id=_ward(params.get("ward")))


def tile_headers(result: service.TileResult) -> dict[str, str]:
    """What a tile response says about its bytes: validator, caching, cache hit or miss."""
    privacy = "public" if result.public else "private"
    return {"ETag": result.etag, "Cache-Control": f"{privacy}, max-age=0, must-revalidate",
            "X-Tile-Cache": "hit" if result.cached else "miss", "Vary": "Authorization, Cookie"}


def without_body(response: HttpResponse) -> HttpResponse:
    """`response` as the answer to HEAD: the same status and headers, Content-Length included, and
    no body (not left to the server to drop)."""
    if not response.streaming and response.status_code != 204:  # a 204 has no length to state
        response.setdefault("Content-Length", str(len(response.content)))
        response.content = b""
    return response


def get_or_head(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view` for GET, and for HEAD with the same status and headers but no body (HTTP requires HEAD
    wherever GET is allowed, RFC 9110 §9.3.2); other methods get 405."""

    @require_safe
    @wraps(view)
    def respond(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        return without_body(response) if request.method == "HEAD" else response

    return respond


@get_or_head
def tile(request: HttpRequest, layers: str, z: int, x: int, y: int) -> HttpResponse:
    """One vector tile of one or more layers; 304 when the client's ETag is current."""
    return respond_with_tile(request, layers, z, x, y, Viewer.of(request.user))


@dataclass(frozen=True)
class TileAnswer:
    """A tile response, before any framework's response object: status, headers, bytes."""

    status: int
    headers: dict[str, str]
    body: bytes


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0)."""
    for coding in (accept_encoding or "").lower().split(","):
        name, _, quality = coding.strip().partition(";")
        if name.strip() == "gzip":
            return quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def gzip_etag(etag: str) -> str:
    """The ETag of a tile's gzip variant: another representation, so another strong validator."""
    return f'{etag[:-1]}-gzip"' if etag.endswith('"') else f"{etag}-gzip"


def tile_answer(params: Mapping[str, str], if_none_match: str | None, layers: str, z: int, x: int, y: int,
                viewer: Viewer, after: list[Callable[[], None]] | None = None,
                accept_encoding: str | None = None) -> TileAnswer:
    """The tile answer for `viewer` (the query parameters, the If-None-Match and Accept-Encoding
    headers): 200 with the tile, gzipped when the client takes it (MVT compresses to about a third),
    or 304 when the client's ETag is current. Given `after`, what is left to do once the answer is
    sent (the cache write) is appended there."""
    result = service.render(layers, Tile.checked(z, x, y), tile_filter(params), viewer, after)
    headers = tile_headers(result) | {"Vary": "Accept-Encoding, Authorization, Cookie"}
    if result.below_min_zoom:  # an empty tile, as OGC API – Tiles answers one: 204 No Content
        return TileAnswer(204, headers, b"")
    body = result.content
    if accepts_gzip(accept_encoding) and body:
        headers |= {"ETag": gzip_etag(result.etag), "Content-Encoding": "gzip"}
    if if_none_match == headers["ETag"]:
        return TileAnswer(304, headers | {"Content-Length": "0"}, b"")
    if "Content-Encoding" in headers:
        body = gzip.compress(body, compresslevel=6, mtime=0)
    return TileAnswer(200, headers | {"Content-Type": MVT, "Content-Length": str(len(body))}, body)


def respond_with_tile(request: HttpRequest, layers: str, z: int, x: int, y: int,
                      viewer: Viewer) -> HttpResponse:
    """The tile response for `viewer` (the view, and tiles.lane when it cannot answer alone)."""
    answer = tile_answer(request.GET, request.META.get("HTTP_IF_NONE_MATCH"), layers, z, x, y, viewer,
                         accept_encoding=request.META.get("HTTP_ACCEPT_ENCODING"))
    response = HttpResponse(answer.body, status=answer.status, headers=answer.headers)
    if "Content-Type" not in answer.headers:
        del response["Content-Type"]  # a 304 has no body to type (HttpResponse adds text/html)
    return response


def _tilejson(request: HttpRequest, names: str, viewer: Viewer) -> dict:
    """TileJSON 3.0: zooms from the layers' styles (tiles.service.zooms), bounds from their data
    (tiles.extents), the centre in their middle at the zoom that shows them whole, or their min zoom."""
    layers = service.readable_layers(names, viewer)
    base = request.build_absolute_uri(f"/tiles/{names}")
    minzoom = min(service.zooms(layer)[0] for layer in layers)
    maxzoom = max(service.zooms(layer)[1] for layer in layers)
    found = [extents.of(layer) for layer in layers]
    boxes = [extent.bbox for extent in found if extent.bbox is not None]
    data = extents.DataExtent(extents.union(boxes) if boxes else VIETNAM_BBOX)
    return {
        "tilejson": "3.0.0",
        "name": ", ".join(layer.title_vi for layer in layers),
        "description": " / ".join(layer.title_en for layer in layers),
        "tiles": [base + "/{z}/{x}/{y}.pbf"],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": [round(value, 6) for value in data.bbox],
        "center": data.centre(min(max(minzoom, data.fitting_zoom()), maxzoom)),
        "vector_layers": [
            {"id": layer.id, "description": f"{layer.title_vi} / {layer.title_en}",
             "minzoom": service.zooms(layer)[0], "maxzoom": service.zooms(layer)[1],
             "fields": {name: name for name in viewer.readable_fields(layer)}}
            for layer in layers
        ],
    }


@get_or_head
def tilejson(request: HttpRequest, layers: str) -> JsonResponse:
    """TileJSON 3.0 for one or more layers, listing the fields the viewer may read."""
    return JsonResponse(_tilejson(request, layers, Viewer.of(request.user)))


@get_or_head
def catalog(request: HttpRequest) -> JsonResponse:
    """Every layer the viewer may read, with its TileJSON address."""
    viewer = Viewer.of(request.user)
    return JsonResponse({
        layer.id: {"title_vi": layer.title_vi, "title_en": layer.title_en,
                   "tilejson": request.build_absolute_uri(f"/tiles/{layer.id}.json")}
        for layer in registry if viewer.can_read(layer)
    })


