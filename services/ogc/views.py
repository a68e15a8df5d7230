"""Django adapters for /ogc: build the viewer's pygeoapi API, hand over what pygeoapi cannot parse.

Per request: the viewer's configuration (cached per access profile) and OpenAPI document, the CQL2
filter parsed here (pygeoapi 0.21 only knows ECQL), keyset `cursor`, GDAL's `resultType`.
"""

from __future__ import annotations

import copy
from datetime import datetime
from functools import lru_cache

import orjson
import pygeoapi.api as core
import pygeoapi.api.itemtypes as itemtypes
import pygeoapi.api.tiles as tiles_api
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from pygeoapi.api import API, APIRequest

from layers.registry import Layer, registry
from services.editing import media
from services.editing import views as editing
from services.editing.csrf import enforce_csrf
from services.editing.service import etag_of
from services.ogc import filters, pygeoapi_patches  # noqa: F401  (patches applied at import)
from services.ogc.config import Profile, build_config, profile_of
from services.ogc.openapi import corrected_conformance, openapi_document
from services.ogc.provider import REQUEST, RequestState
from spatial.access import Viewer
from spatial.errors import BadRequest, Forbidden, NotAuthenticated
from spatial.params import bbox, datetime_interval, text_problem, whole_number

ITEM_PARAMETERS = {"f", "lang", "bbox", "bbox-crs", "crs", "datetime", "limit", "offset", "resulttype",
                   "resultType", "properties", "skipGeometry", "sortby", "filter", "filter-lang",
                   "filter-crs", "cursor", "q", "as-of"}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ogc").rstrip("/")


@lru_cache(maxsize=32)
def api_for(profile: Profile, base_url: str) -> API:
    """pygeoapi's API object for one access profile (built once, reused, as pygeoapi's own apps do)."""
    return API(copy.deepcopy(build_config(profile, base_url)), openapi_document(profile, base_url))


def _items_state(request: HttpRequest, dataset: str, viewer: Viewer, args: QueryDict) -> RequestState:
    """Take out of `args` what our provider handles itself: filter, filter-lang, cursor."""
    layer = registry.get(dataset)
    readable = set(viewer.readable_fields(layer))
    if not viewer.can_read(layer):
        return RequestState(viewer=viewer)
    unknown = sorted(set(args) - ITEM_PARAMETERS - readable)
    if unknown:
        raise BadRequest(f"unknown query parameters {unknown}; queryables of {dataset}: {sorted(readable)}")
    _check_values(args)
    state = RequestState(viewer=viewer, url=request.build_absolute_uri(request.path),
                         params={k: v for k, v in request.GET.items() if k != "cursor"})
    moment = args.pop("as-of", [None])[-1]
    if moment is not None:
        state.as_of = _as_of_moment(layer, moment)
    cursor = args.pop("cursor", [None])[-1]
    if cursor is not None:
        state.cursor = whole_number(cursor)
        if state.cursor is None:
            raise BadRequest(f"cursor: {cursor!r} is not a feature id")
    state.filter = _filter(request, layer, readable, args)
    if "resultType" in args:
        args["resulttype"] = args.pop("resultType")[-1]
    if "sortby" in args and not args["sortby"].strip(" +-,"):
        raise BadRequest("sortby: name a property, e.g. sortby=-area_m2 (descending)")
    return state


def _check_values(args: QueryDict) -> None:
    """Refuse values no query can use: text PostgreSQL cannot hold, a bbox of non-finite numbers
    (pygeoapi reads nan and inf as numbers)."""
    for name, value in args.items():
        if (problem := text_problem(value)) is not None:
            raise BadRequest(f"{name}: the value {problem}")
    bbox(args.get("bbox"))


def _filter(request: HttpRequest, layer: Layer, readable: set[str], args: QueryDict) -> Q | None:
    """The CQL2 filter of the `filter` parameter or of a query POST's body, checked against the
    readable fields; None without one."""
    text, language = args.pop("filter", [None])[-1], args.pop("filter-lang", [None])[-1]
    if request.method == "POST" and request.body:  # OWSLib sends CQL2-JSON (cql=) as a body
        text, language = media.query_body(request), "cql2-json"
    if not text:
        return None
    columns = {name: name for name in readable} | {"geometry": layer.geometry_field}
    fields = {name: layer.model_class._meta.get_field(name) for name in readable}
    return filters.to_q(filters.parse(text, language), columns, fields)


def _as_of_moment(layer: Layer, text: str) -> datetime:
    """The moment of an `as-of` parameter (one date or date-time) on a layer that keeps history."""
    if not layer.history:
        raise BadRequest(f"as-of: {layer.id} keeps no change history, so it has no past to show")
    try:
        end = datetime_interval(text)[1] if "/" not in text else None
    except BadRequest:
        end = None
    if end is None:
        raise BadRequest(f"as-of: {text!r} is not one date or date-time; e.g. as-of=2025-07-01 "
                         "(the end of that day) or as-of=2025-07-01T08:00:00+07:00")
    return end


def execute(request: HttpRequest, handler: object, *ids: object, dataset: str | None = None) -> HttpResponse:
    """Run one pygeoapi API function for this request's viewer and turn its answer into a response."""
    viewer = Viewer.of(request.user)
    profile = profile_of(viewer)
    if dataset and dataset in registry and not viewer.can_read(registry.get(dataset)):
        if viewer.is_anonymous:
            raise NotAuthenticated(f"collection {dataset!r} is restricted: sign in (HTTP Basic or token)")
        raise Forbidden(f"your roles do not allow reading collection {dataset!r}")
    api = api_for(profile, _base_url(request))
    api_request = APIRequest.from_django(request, api.locales)
    args = request.GET.copy()
    state = _items_state(request, dataset, viewer, args) if dataset and dataset in registry \
        and handler is itemtypes.get_collection_items else RequestState(viewer=viewer)
    api_request._args, api_request._data = args, b""
    token = REQUEST.set(state)
    try:
        if not api_request.is_valid():
            headers, status, content = api.get_format_exception(api_request)
        else:
            headers, status, content = handler(api, api_request, *ids)
    finally:
        REQUEST.reset(token)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    response["Vary"] = "Authorization, Cookie, Accept"
    return response


def landing(request: HttpRequest) -> HttpResponse:
    """The landing page (JSON, or HTML for people)."""
    return execute(request, core.landing_page)


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document of what this viewer may use."""
    return execute(request, core.openapi_)


def conformance(request: HttpRequest) -> HttpResponse:
    """The conformance classes, with the filter and editing classes we implement added."""
    response = execute(request, core.conformance)
    if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
        body = orjson.loads(response.content)
        body["conformsTo"] = corrected_conformance(body["conformsTo"])
        response.content = orjson.dumps(body)
    return response


def collections(request: HttpRequest, dataset: str | None = None) -> HttpResponse:
    """All readable collections, or one."""
    return execute(request, core.describe_collections, dataset, dataset=dataset)


def queryables(request: HttpRequest, dataset: str) -> HttpResponse:
    """The properties a viewer may filter on."""
    return execute(request, itemtypes.get_collection_queryables, dataset, dataset=dataset)


def schema(request: HttpRequest, dataset: str) -> HttpResponse:
    """The schema of a collection's features."""
    return execute(request, core.get_collection_schema, dataset, dataset=dataset)


@csrf_exempt  # a CQL2 query by POST carries no cookies; writes check CSRF themselves
@require_http_methods(["GET", "HEAD", "POST"])
def items(request: HttpRequest, dataset: str) -> HttpResponse:
    """Features of a collection; POST of a GeoJSON feature creates one, other POSTs are CQL2 queries."""
    if request.method == "POST" and media.is_feature_post(request):
        enforce_csrf(request)
        return editing.create(request, dataset)
    return execute(request, itemtypes.get_collection_items, dataset, dataset=dataset)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "PUT", "PATCH", "DELETE"])
def item(request: HttpRequest, dataset: str, identifier: str) -> HttpResponse:
    """One feature by id (with its version as ETag); PUT, PATCH and DELETE edit it."""
    if request.method in ("PUT", "PATCH", "DELETE"):
        enforce_csrf(request)
        return editing.change(request, dataset, identifier)
    response = execute(request, itemtypes.get_collection_item, dataset, identifier, dataset=dataset)
    layer = registry.get(dataset)
    if response.status_code == 200 and whole_number(identifier) is not None and "version" in {
            f.name for f in layer.model_class._meta.concrete_fields}:
        version = layer.queryset().filter(pk=int(identifier)).values_list("version", flat=True).first()
        if version is not None:
            response["ETag"] = etag_of(version)
    return response


def tile_matrix_sets(request: HttpRequest, tms: str | None = None) -> HttpResponse:
    """The tile matrix sets (WebMercatorQuad)."""
    if tms:
        return execute(request, tiles_api.tilematrixset, tms)
    return execute(request, tiles_api.tilematrixsets)


def collection_tilesets(request: HttpRequest, dataset: str) -> HttpResponse:
    """The tilesets of a collection."""
    return execute(request, tiles_api.get_collection_tiles, dataset, dataset=dataset)


def collection_tileset(request: HttpRequest, dataset: str, tms: str) -> HttpResponse:
    """One tileset's metadata."""
    return execute(request, tiles_api.get_collection_tiles_metadata, dataset, tms, dataset=dataset)


def collection_tile(request: HttpRequest, dataset: str, tms: str, z: int, y: int, x: int) -> HttpResponse:
    """One vector tile; `f` defaults to mvt."""
    if "f" not in request.GET:
        request.GET = request.GET.copy()
        request.GET["f"] = "mvt"
    return execute(request, tiles_api.get_collection_tiles_data, dataset, tms, z, y, x, dataset=dataset)
