"""GET and POST …/items: pygeoapi's items request for our provider, with what pygeoapi 0.21 cannot pass.

`read_query` takes from the request what pygeoapi does not read (a CQL2 filter, a keyset `cursor`, an
`as-of` moment) and refuses unknown or unusable parameters; `get_collection_items` is pygeoapi's
function of the same name, step for step with pygeoapi's own validators and messages, calling
LayerProvider.query with those three as arguments and writing the page with features.to_json.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest
from pygeoapi import l10n
from pygeoapi.api import (
    API,
    F_HTML,
    F_JSON,
    F_JSONLD,
    FORMAT_TYPES,
    SYSTEM_LOCALE,
    APIRequest,
    evaluate_limit,
    validate_bbox,
    validate_datetime,
)
from pygeoapi.api.itemtypes import (
    DEFAULT_CRS,
    DEFAULT_CRS_LIST,
    DEFAULT_STORAGE_CRS,
    create_crs_transform_spec,
    set_content_crs_header,
)
from pygeoapi.linked_data import geojson2jsonld
from pygeoapi.plugin import load_plugin
from pygeoapi.provider.base import BaseProvider, ProviderGenericError
from pygeoapi.util import (
    filter_dict_by_key_value,
    get_provider_by_type,
    get_supported_crs_list,
    render_j2_template,
    str2bool,
    transform_bbox,
)
from pyproj.exceptions import CRSError

from layers.registry import Layer
from services.editing import media
from services.ogc import features, filters
from spatial.errors import BadRequest
from spatial.params import bbox, datetime_interval, text_problem, whole_number

ITEM_PARAMETERS = {"f", "lang", "bbox", "bbox-crs", "crs", "datetime", "limit", "offset", "resulttype",
                   "resultType", "properties", "skipGeometry", "sortby", "filter", "filter-lang",
                   "filter-crs", "cursor", "q", "as-of"}
RESERVED = ("bbox", "bbox-crs", "crs", "f", "lang", "limit", "offset", "resulttype", "datetime", "sortby",
            "properties", "skipGeometry", "q", "filter", "filter-lang", "filter-crs")  # pygeoapi's
OURS = ("filter", "filter-lang", "cursor", "as-of")  # read here, never by pygeoapi's parameters


@dataclass(frozen=True)
class ItemsQuery:
    """An items request: pygeoapi's parameters, and the filter, cursor and moment read here."""

    params: dict[str, str] = field(default_factory=dict)  # the last value of each but OURS (resultType
    # as resulttype)
    given: dict[str, str] = field(default_factory=dict)  # all the request's parameters, for links
    url: str = ""  # the items URL, for the next-page link
    filter: Q | None = None
    cursor: int | None = None
    as_of: datetime | None = None


def read_query(request: HttpRequest, layer: Layer, readable: tuple[str, ...]) -> ItemsQuery:
    """The items request of `request`; BadRequest for a parameter that is unknown (or hidden), a value
    no query can use, a bad filter, cursor or moment."""
    given = dict(request.GET.items())
    unknown = sorted(set(given) - ITEM_PARAMETERS - set(readable))
    if unknown:
        raise BadRequest(f"tham số không biết {unknown}; các trường truy vấn được của {layer.id}: "
                         f"{sorted(readable)}",
                         f"unknown query parameters {unknown}; queryables of {layer.id}: {sorted(readable)}")
    for name, value in given.items():
        if (problem := text_problem(value)) is not None:
            raise BadRequest(f"{name}: giá trị không dùng được ({problem})", f"{name}: the value {problem}")
    bbox(given.get("bbox"))  # pygeoapi reads nan and inf as numbers
    as_of = _as_of_moment(layer, given["as-of"]) if "as-of" in given else None
    cursor = None
    if "cursor" in given and (cursor := whole_number(given["cursor"])) is None:
        raise BadRequest(f"cursor: «{given['cursor']}» không phải số hiệu đối tượng",
                         f"cursor: {given['cursor']!r} is not a feature id")
    where = _filter(request, layer, readable, given.get("filter"), given.get("filter-lang"))
    params = {name: value for name, value in given.items() if name not in OURS}
    if "resultType" in params:
        params["resulttype"] = params.pop("resultType")
    if "sortby" in params and not params["sortby"].strip(" +-,"):
        raise BadRequest("sortby: hãy nêu một trường, ví dụ sortby=-area_m2 (giảm dần)",
                         "sortby: name a property, e.g. sortby=-area_m2 (descending)")
    return ItemsQuery(
        params=params,
        given=given,
        url=request.build_absolute_uri(request.path),
        filter=where, cursor=cursor, as_of=as_of,
    )


def _filter(request: HttpRequest, layer: Layer, readable: tuple[str, ...], text: str | None,
            language: str | None) -> Q | None:
    """The CQL2 filter of the `filter` parameter or of a query POST's body, checked against the
    readable fields; None without one."""
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
        raise BadRequest(f"as-of: lớp «{layer.title_vi}» không lưu lịch sử thay đổi nên không có quá khứ "
                         "để xem",
                         f"as-of: {layer.id} keeps no change history, so it has no past to show")
    try:
        end = datetime_interval(text)[1] if "/" not in text else None
    except BadRequest:
        end = None
    if end is None:
        raise BadRequest(f"as-of: «{text}» không phải một ngày hay thời điểm; ví dụ as-of=2025-07-01 "
                         "(cuối ngày đó) hoặc as-of=2025-07-01T08:00:00+07:00",
                         f"as-of: {text!r} is not one date or date-time; e.g. as-of=2025-07-01 "
                         "(the end of that day) or as-of=2025-07-01T08:00:00+07:00")
    return end


class _Refused(Exception):
    """A parameter pygeoapi's checks refuse: answered with pygeoapi's exception document."""

    def __init__(self, message: str, code: str = "InvalidParameterValue") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _paging(api: API, collection: dict, params: dict[str, str]) -> dict:
    try:
        offset = int(params["offset"]) if "offset" in params else 0
    except ValueError:
        raise _Refused("offset value should be an integer") from None
    if offset < 0:
        raise _Refused("offset value should be positive or zero")
    try:
        limit = evaluate_limit(params.get("limit"), api.config["server"].get("limits", {}),
                               collection.get("limits", {}))
    except ValueError as exc:
        raise _Refused(str(exc)) from None
    return {"offset": offset, "limit": limit, "resulttype": params.get("resulttype") or "results"}


def _extent(collection: dict, params: dict[str, str]) -> dict:
    try:
        box = validate_bbox(params["bbox"]) if "bbox" in params else []
        moment = validate_datetime(collection["extents"], params.get("datetime"))
    except ValueError as exc:
        raise _Refused(str(exc)) from None
    return {"bbox": box, "datetime_": moment}


def _storage_bbox(definition: dict, params: dict[str, str], box: list) -> list:
    """The bbox in the storage CRS, from its `bbox-crs` (default CRS84)."""
    box_crs = params.get("bbox-crs")
    if box_crs is not None:
        if not box:
            raise _Refused("bbox-crs specified without bbox parameter", "NoApplicableCode")
        if not box_crs:
            raise _Refused("bbox-crs specified but is empty", "NoApplicableCode")
        if box_crs not in get_supported_crs_list(definition, DEFAULT_CRS_LIST):
            raise _Refused(f"bbox-crs {box_crs} not supported for this collection", "NoApplicableCode")
    if not box:
        return box
    try:
        return transform_bbox(box, box_crs or DEFAULT_CRS, definition.get("storage_crs", DEFAULT_STORAGE_CRS))
    except CRSError as exc:
        raise _Refused(str(exc), "NoApplicableCode") from None


def _output_crs(definition: dict, params: dict[str, str], headers: dict) -> dict:
    try:
        spec = create_crs_transform_spec(definition, params.get("crs"))
    except (ValueError, CRSError) as exc:
        raise _Refused(str(exc)) from None
    set_content_crs_header(headers, definition, params.get("crs"))
    return {"crs_transform_spec": spec}


def _properties(provider: BaseProvider, params: dict[str, str]) -> dict:
    """Property filters (name=value), sortby, the selected properties and skipGeometry."""
    sortby = []
    for part in params["sortby"].split(",") if "sortby" in params else []:
        order, name = (part[0], part[1:]) if part[:1] in ("+", "-") else ("+", part)
        if name not in provider.fields:
            raise _Refused("bad sort property")
        sortby.append({"property": name, "order": order})
    selected = params["properties"].split(",") if "properties" in params else []
    if set(selected) - (set(provider.properties) | set(provider.fields)):
        raise _Refused("unknown properties specified")
    return {
        "properties": [(k, v) for k, v in params.items() if k not in RESERVED and k in provider.fields],
        "sortby": sortby,
        "select_properties": selected,
        "skip_geometry": str2bool(params["skipGeometry"]) if "skipGeometry" in params else False,
        "q": params.get("q") or None,
    }


def _links(api: API, request: APIRequest, dataset: str, collection: dict, content: dict, paging: dict,
           query: ItemsQuery) -> None:
    """The page's links, as pygeoapi writes them; a page in id order links to the next by cursor."""
    offset, limit, found = paging["offset"], paging["limit"], content["features"]
    links = content.setdefault("links", [])
    if "sortby" not in query.params and offset == 0 and len(found) == limit:  # paging in id order
        following = {name: value for name, value in query.given.items() if name != "cursor"}
        links.append({"rel": "next", "type": "application/geo+json", "title": "Trang sau / next page",
                      "href": f"{query.url}?{urlencode({**following, 'cursor': found.last_id})}"})
    serialised = "".join(f"&{urllib.parse.quote(k, safe='')}={urllib.parse.quote(str(v), safe=',')}"
                         for k, v in query.given.items() if k not in ("f", "offset", "cursor"))
    uri = f"{api.get_collections_url()}/{dataset}/items"
    for format_, type_, title in ((F_JSON, "application/geo+json", "This document as GeoJSON"),
                                  (F_JSONLD, FORMAT_TYPES[F_JSONLD], "This document as RDF (JSON-LD)"),
                                  (F_HTML, FORMAT_TYPES[F_HTML], "This document as HTML")):
        links.append({"type": type_, "rel": request.get_linkrel(format_),
                      "title": l10n.translate(title, request.locale),
                      "href": f"{uri}?f={format_}{serialised}"})
    if "next" not in [link["rel"] for link in links]:
        if offset > 0:
            links.append({"type": "application/geo+json", "rel": "prev",
                          "title": l10n.translate("Items (prev)", request.locale),
                          "href": f"{uri}?offset={max(0, offset - limit)}{serialised}"})
        if content.get("numberMatched", -1) > limit + offset or len(found) == limit:
            links.append({"type": "application/geo+json", "rel": "next",
                          "title": l10n.translate("Items (next)", request.locale),
                          "href": f"{uri}?offset={offset + limit}{serialised}"})
    links.append({"type": FORMAT_TYPES[F_JSON], "title": l10n.translate(collection["title"], request.locale),
                  "rel": "collection", "href": uri.rsplit("/", 1)[0]})


def _formatted(api: API, request: APIRequest, dataset: str, provider: BaseProvider, content: dict,
               headers: dict, offset: int) -> tuple[dict, int, str | bytes]:
    """The page in the requested format: HTML, JSON-LD or GeoJSON (pygeoapi's FORMAT_TYPES; its CSV
    formatter plugin is not offered)."""
    uri = f"{api.get_collections_url()}/{dataset}/items"
    if request.format == F_HTML:
        content.update(items_path=uri, dataset_path=uri.rsplit("/", 1)[0],
                       collections_path=api.get_collections_url(), offset=offset, id_field=provider.id_field)
        if provider.uri_field is not None:
            content["uri_field"] = provider.uri_field
        if provider.title_field is not None:
            title = l10n.translate(provider.title_field, request.locale)
            content["title_field"] = content["id_field"] = title  # pages show titles as ids
        return headers, HTTPStatus.OK, render_j2_template(
            api.tpl_config, api.get_dataset_templates(dataset), "collections/items/index.html", content,
            request.locale)
    if request.format == F_JSONLD:
        id_field = provider.uri_field or "id"
        return headers, HTTPStatus.OK, geojson2jsonld(api, content, dataset, id_field=id_field)
    return headers, HTTPStatus.OK, features.to_json(content, api.pretty_print)


def get_collection_items(api: API, request: APIRequest, dataset: str,
                         query: ItemsQuery) -> tuple[dict, int, str | bytes]:
    """A page of a collection's features: (headers, status, content), as pygeoapi's API functions
    answer."""
    if not request.is_valid():
        return api.get_format_exception(request)
    headers = request.get_response_headers(SYSTEM_LOCALE, **api.api_headers)
    collections = filter_dict_by_key_value(api.config["resources"], "type", "collection")
    if dataset not in collections:
        return api.get_exception(HTTPStatus.NOT_FOUND, headers, request.format, "NotFound",
                                 "Collection not found")
    collection = collections[dataset]
    definition = get_provider_by_type(collection["providers"], "feature")
    language = l10n.get_plugin_locale(definition, request.raw_locale)
    try:
        paging = _paging(api, collection, query.params)
        extent = _extent(collection, query.params)
        provider = load_plugin("provider", definition)
        output_crs = _output_crs(definition, query.params, headers)
        extent["bbox"] = _storage_bbox(definition, query.params, extent["bbox"])
        arguments = {**paging, **extent, **output_crs, **_properties(provider, query.params)}
        content = provider.query(**arguments, language=language, filterq=query.filter, cursor=query.cursor,
                                 as_of=query.as_of)
    except _Refused as exc:
        return api.get_exception(HTTPStatus.BAD_REQUEST, headers, request.format, exc.code, exc.message)
    except ProviderGenericError as exc:
        return api.get_exception(exc.http_status_code, headers, request.format, exc.ogc_exception_code,
                                 exc.message)
    _links(api, request, dataset, collection, content, paging, query)
    content["timeStamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    l10n.set_response_language(headers, language, request.locale)
    return _formatted(api, request, dataset, provider, content, headers, paging["offset"])
