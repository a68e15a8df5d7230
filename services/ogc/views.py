"""Django adapters for /ogc: each request runs a pygeoapi API function with its viewer's API object.

pygeoapi serves the landing page, OpenAPI, conformance, collections, queryables, schemas, single
items, tilesets and tile matrix sets, loading our providers (services.ogc.provider and .tiles) from
the configuration generated per access profile (services.ogc.config); nothing of pygeoapi is changed
at run time. Three answers are ours, each an API function of pygeoapi's shape ((api, request, …) →
headers, status, content), because pygeoapi 0.21 (the last release for Python 3.11, Debian 12's)
cannot carry what they need:
- the items page (services.ogc.items): pygeoapi parses `filter` as ECQL only and refuses cql2-text,
  passes the provider nothing of the request (keyset `cursor` links, `as-of`) and writes the page
  with json.dumps (a page PostgreSQL wrote as JSON would be decoded and encoded again);
- one tile (services.ogc.tiles.get_collection_tile): pygeoapi passes the tile provider only the
  tile's address, and what a tile carries depends on the viewer;
- the landing page for people (`landing_page` here): pygeoapi gives its template only links, and
  renders every page with the configuration it translated first for that language (pygeoapi.l10n
  keeps one per process, whoever asked), so templates read the viewer's collections and the host
  from their page's data, never from `config`;
- the conformance classes (`conformance_page` here): pygeoapi 0.21 extends its module's own
  CONFORMANCE_CLASSES list on every request, a list that grows for ever; ours collects the same
  classes (pygeoapi's lists, per provider type) into a set of its own, plus the ones we implement.
Writes go to services.editing, routed by method and media type (services.editing.media).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from http import HTTPStatus

import orjson
import pygeoapi.api as core
import pygeoapi.api.itemtypes as itemtypes
import pygeoapi.api.tiles as tiles_api
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from pygeoapi import l10n
from pygeoapi.api import API, F_HTML, APIRequest
from pygeoapi.util import filter_dict_by_key_value, render_j2_template

from layers.registry import Layer, registry
from services.editing import media
from services.editing import views as editing
from services.editing.csrf import enforce_csrf
from services.editing.service import etag_of
from services.ogc import stylesheets
from services.ogc.config import Extents, Profile, build_config, extents_of, profile_of
from services.ogc.items import ItemsQuery, get_collection_items, read_query
from services.ogc.openapi import corrected_conformance, openapi_document
from services.ogc.qgis_project import FILE_NAME, project_qgz
from services.ogc.tiles import get_collection_tile
from spatial import language
from spatial.access import Viewer
from spatial.errors import BadRequest, NotFound
from spatial.params import whole_number


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ogc").rstrip("/")


@lru_cache(maxsize=32)
def api_for(profile: Profile, base_url: str, data_extents: Extents = ()) -> API:
    """pygeoapi's API object for one access profile (built once, reused, as pygeoapi's own apps do);
    with `data_extents`, the one describing collections with the data's extents."""
    config = copy.deepcopy(build_config(profile, base_url, data_extents))
    return API(config, openapi_document(profile, base_url))


def _api(request: HttpRequest, dataset: str | None = None,
         with_extents: bool = False) -> tuple[Viewer, API, APIRequest]:
    """The viewer, their API object and pygeoapi's request; 401/403 for a collection they may not read.
    `with_extents`: collections described with the data's extents (only /collections needs them;
    the others never read the database for them)."""
    viewer = Viewer.of(request.user)
    if dataset and dataset in registry:
        viewer.reads(registry.get(dataset))
    profile = profile_of(viewer)
    api = api_for(profile, _base_url(request), extents_of(profile) if with_extents else ())
    return viewer, api, APIRequest(request, api.locales)


def _answer(api: API, api_request: APIRequest, handler: object, *args: object) -> HttpResponse:
    """Run one API function (pygeoapi's or ours) and turn its answer into a response."""
    if not api_request.is_valid():
        headers, status, content = api.get_format_exception(api_request)
    else:
        headers, status, content = handler(api, api_request, *args)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    if status == HTTPStatus.NO_CONTENT:
        del response["Content-Type"]  # nothing to type (HttpResponse adds text/html)
    response["Vary"] = "Authorization, Cookie, Accept"
    return response


def execute(request: HttpRequest, handler: object, *args: object, dataset: str | None = None,
            with_extents: bool = False) -> HttpResponse:
    """Run one API function for this request's viewer; `dataset` names the collection it reads."""
    _viewer, api, api_request = _api(request, dataset, with_extents)
    return _answer(api, api_request, handler, *args)


def landing_page(api: API, request: APIRequest) -> tuple[dict, int, str | bytes]:
    """pygeoapi's landing page; for people, with the viewer's collections and how to connect."""
    if request.format != F_HTML:
        return core.landing_page(api, request)
    resources = filter_dict_by_key_value(api.config["resources"], "type", "collection")
    data = {
        "title": l10n.translate(api.config["metadata"]["identification"]["title"], request.locale),
        "base": api.base_url,
        "collections": [{"id": name, "title": resource["title"]} for name, resource in resources.items()],
    }
    content = render_j2_template(api.tpl_config, api.config["server"]["templates"], "landing_page.html",
                                 data, request.locale)
    return request.get_response_headers(**api.api_headers), HTTPStatus.OK, content


def landing(request: HttpRequest) -> HttpResponse:
    """The landing page (JSON, or HTML for people)."""
    return execute(request, landing_page)


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document of what this viewer may use."""
    return execute(request, core.openapi_)


def conformance_classes(api: API) -> list[str]:
    """What pygeoapi would list for this configuration, from its own class lists, and ours."""
    apis = core.all_apis()
    classes = set(core.CONFORMANCE_CLASSES)
    for resource in api.config["resources"].values():
        for provider in resource.get("providers", []):
            kind = provider["type"]
            if kind in apis:
                classes.update(apis[kind].CONFORMANCE_CLASSES)
            if kind == "feature":
                classes.update(apis["itemtypes"].CONFORMANCE_CLASSES_FEATURES)
    return corrected_conformance(sorted(classes))


def conformance_page(api: API, request: APIRequest) -> tuple[dict, int, str | bytes]:
    """The conformance classes, as pygeoapi's conformance function answers them (JSON or HTML)."""
    body = {"conformsTo": conformance_classes(api)}
    headers = request.get_response_headers(**api.api_headers)
    if request.format == F_HTML:
        return headers, HTTPStatus.OK, render_j2_template(
            api.tpl_config, api.config["server"]["templates"], "conformance.html", body, request.locale)
    return headers, HTTPStatus.OK, orjson.dumps(body)


def conformance(request: HttpRequest) -> HttpResponse:
    """The conformance classes, with the filter and editing classes we implement added."""
    return execute(request, conformance_page)


def collections(request: HttpRequest, dataset: str | None = None) -> HttpResponse:
    """All readable collections, or one."""
    return execute(request, core.describe_collections, dataset, dataset=dataset, with_extents=True)


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
    viewer, api, api_request = _api(request, dataset)
    query = ItemsQuery()  # an unknown collection: pygeoapi's 404
    if dataset in registry:
        layer = registry.get(dataset)
        query = read_query(request, layer, viewer.readable_fields(layer))
    return _answer(api, api_request, get_collection_items, dataset, query)


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



@require_safe
def qgis_project(request: HttpRequest) -> HttpResponse:
    """A QGIS project (.qgz) of every layer this viewer may read, styled from the registry."""
    viewer = Viewer.of(request.user)
    content = project_qgz(viewer, _base_url(request), language.of(request), request.user.get_username())
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    response["Vary"] = "Authorization, Cookie"
    return response


# OGC API – Styles: each collection's one style ("default"), as SLD 1.0 or QGIS's QML
STYLESHEETS = {
    "sld10": ("application/vnd.ogc.sld+xml;version=1.0", "OGC SLD 1.0", stylesheets.sld),
    "qml": ("application/vnd.qgis.qml", "QGIS QML", stylesheets.qml),
}
STYLE_ID = "default"


def _readable(request: HttpRequest, dataset: str) -> Layer:
    return Viewer.of(request.user).reads(registry.get(dataset))


@require_safe
def styles(request: HttpRequest, dataset: str) -> HttpResponse:
    """The styles of a collection (OGC API – Styles): one, with a link to each stylesheet."""
    layer = _readable(request, dataset)
    base = request.build_absolute_uri(f"/ogc/collections/{layer.id}/styles/{STYLE_ID}")
    return JsonResponse({"styles": [{
        "id": STYLE_ID, "title": layer.title_en if language.of(request) == "en" else layer.title_vi,
        "links": [{"rel": "stylesheet", "type": media_type, "title": title, "href": f"{base}?f={name}"}
                  for name, (media_type, title, _write) in STYLESHEETS.items()]}]},
        headers={"Vary": "Authorization, Cookie"})


@require_safe
def style(request: HttpRequest, dataset: str, style_id: str) -> HttpResponse:
    """One stylesheet of a collection: `f=sld10` (the default) or `f=qml`."""
    layer = _readable(request, dataset)
    if style_id != STYLE_ID:
        raise NotFound(f"collection {dataset!r} has one style, {STYLE_ID!r}, not {style_id!r}")
    name = request.GET.get("f") or "sld10"
    if name not in STYLESHEETS:
        raise BadRequest(f"f: {name!r} is not a stylesheet; use one of {', '.join(STYLESHEETS)}")
    media_type, _title, write = STYLESHEETS[name]
    suffix = "qml" if name == "qml" else "sld"
    return HttpResponse(write(layer, language.of(request)), content_type=media_type, headers={
        "Content-Disposition": f'inline; filename="{layer.id}.{suffix}"', "Vary": "Authorization, Cookie"})


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
    """One vector tile (MVT), the same as /tiles gives this viewer."""
    viewer, api, api_request = _api(request, dataset)
    return _answer(api, api_request, get_collection_tile, dataset, tms, z, y, x, viewer)
