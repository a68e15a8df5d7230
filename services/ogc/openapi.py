"""The OpenAPI document and conformance list, corrected for offline tools and real clients.

pygeoapi's document refers to schemas.opengis.net (unreachable offline, so schemathesis cannot
resolve it); those references are replaced by local components. The `limit` component
states the default and maximum page size (QGIS reads them there). The items paths gain the
parameters GDAL reads from the document: `filter`, `filter-lang` (with the legacy `cql-text`,
which GDAL 3.6 looks for before it sends -where to the server) and `resultType` (for counts).
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import Resolver404, resolve
from pygeoapi.openapi import get_oas

from layers.registry import Layer, registry
from services.ogc.config import MAX_PAGE_SIZE, PAGE_SIZE, Profile, build_config

_EXCEPTION = {"type": "object", "required": ["code"],
              "properties": {"code": {"type": "string"}, "description": {"type": "string"}}}
_JSON = {"application/json": {"schema": {"type": "object"}}}
_INDEX = {"type": "integer", "minimum": 0}
_ERROR = {"application/json": {"schema": _EXCEPTION}}
_GEOJSON = {"application/geo+json": {"schema": {"type": "object"}}}
RESPONSES = {
    "LandingPage": {"description": "Landing page", "content": _JSON},
    "Collection": {"description": "Collection", "content": _JSON},
    "Features": {"description": "Features", "content": _GEOJSON},
    "Feature": {"description": "Feature", "content": _GEOJSON},
    "InvalidParameter": {"description": "Invalid parameter", "content": {"application/json": {
        "schema": _EXCEPTION}}},
    "NotFound": {"description": "Not found", "content": _ERROR},
    "ServerError": {"description": "Server error", "content": _ERROR},
}
PARAMETERS = {
    # QGIS reads its page size from this component: min(max(1000, default), maximum)
    "limit": {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
              "description": f"Số đối tượng tối đa một trang / features per page (default {PAGE_SIZE}, "
                             f"at most {MAX_PAGE_SIZE:,})",
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}},
    "datetime": {"name": "datetime", "in": "query", "required": False, "style": "form", "explode": False,
                 "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
    "tileMatrixSetId": {"name": "tileMatrixSetId", "in": "path", "required": True,
                        "schema": {"type": "string", "enum": ["WebMercatorQuad"]}},
    "tileMatrix": {"name": "tileMatrix", "in": "path", "required": True, "schema": {"type": "string"}},
    "tileRow": {"name": "tileRow", "in": "path", "required": True, "schema": _INDEX},
    "tileCol": {"name": "tileCol", "in": "path", "required": True, "schema": _INDEX},
    "sortby": {"name": "sortby", "in": "query", "required": False, "style": "form", "explode": False,
               "schema": {"type": "array", "minItems": 1,
                          "items": {"type": "string", "pattern": r"[+|-]?[A-Za-z_].*"}}},
}
ITEMS_PARAMETERS = [
    {"name": "filter", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "filter-lang", "in": "query", "required": False,
     "schema": {"type": "string", "enum": ["cql2-text", "cql2-json", "cql-text"], "default": "cql2-text"}},
    {"name": "resultType", "in": "query", "required": False,
     "schema": {"type": "string", "enum": ["results", "hits"], "default": "results"}},
    {"name": "cursor", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
     "description": "Trang sau: id cuối của trang trước / next page: the last id of the previous page"},
]
CONFORMANCE_ADDED = [
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    # writes (services.editing): POST/PUT/DELETE, PATCH, and ETag/If-Match (QGIS enables editing on these)
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
]


def _local_ref(ref: str) -> str | None:
    fragment = ref.split("#", 1)[1] if "#" in ref else ""
    name = fragment.rsplit("/", 1)[-1]
    for kind in ("responses", "parameters"):
        if f"/{kind}/" in fragment:
            return f"#/components/{kind}/{name}"
    if ref.endswith("sortby.yaml"):
        return "#/components/parameters/sortby"
    if ref.endswith("exception.yaml"):
        return "#/components/schemas/exception"
    if "/schemas/link" in fragment:
        return "#/components/schemas/link"
    return None


def _localize(node: object) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            local = _local_ref(ref)
            if local:
                node["$ref"] = local
            else:
                node.pop("$ref")
        for value in node.values():
            _localize(value)
    elif isinstance(node, list):
        for value in node:
            _localize(value)


_FEATURE_BODY = {"required": True, "content": {"application/geo+json": {"schema": {
    "type": "object", "required": ["type", "properties"],
    "properties": {"type": {"type": "string", "enum": ["Feature"]}, "geometry": {"type": "object"},
                   "properties": {"type": "object"}}}}}}
_IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
             "description": 'The ETag of the version being edited, e.g. "3"'}
_WRITE_RESPONSES = {code: {"description": text} for code, text in (
    ("200", "Saved"), ("201", "Created"), ("204", "Deleted"), ("400", "Invalid input"),
    ("401", "Sign in needed"), ("403", "Not allowed"), ("404", "Not found"), ("409", "Number taken"),
    ("412", "Someone saved first"), ("413", "Body too large"), ("415", "Not GeoJSON"),
    ("428", "If-Match needed"))}
_AS_OF = {"name": "as-of", "in": "query", "required": False,
          "schema": {"type": "string", "format": "date-time"},
          "description": "Lớp dữ liệu tại thời điểm này / the layer as it was at this date or date-time"}
# an OpenAPI operation → the editing operation it performs (layers.registry.WRITE_OPERATIONS)
_METHOD_OPERATIONS = {"post": "create", "put": "replace", "patch": "update", "delete": "delete"}


def _served(path: str) -> bool:
    """Whether /ogc routes `path` (pygeoapi documents endpoints, such as /jobs, that we do not serve)."""
    try:
        resolve("/ogc" + path.replace("{", "").replace("}", ""))
    except Resolver404:
        return False
    return True


_SPLIT_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["line"], "properties": {"line": {"type": "object"}}}}}}
_MERGED_ITEM = {"type": "object", "required": ["id", "version"],
                "properties": {"id": {"type": "integer"}, "version": {"type": "integer"}}}
_MERGE_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["items"],
    "properties": {"items": {"type": "array", "minItems": 2, "items": _MERGED_ITEM}}}}}}
_ENTRY = {"name": "entry", "in": "path", "required": True, "schema": {"type": "string"}}


def _item_links(get_item: str | None, layer_id: str, layer: Layer) -> dict:
    """OpenAPI links from a response naming a feature (`$response.body#/id`) to what can follow."""
    links = {} if get_item is None else {"GetFeature": {"operationId": get_item,
                                                         "parameters": {"featureId": "$response.body#/id"}}}
    if layer.history:
        links["GetHistory"] = {"operationId": f"history{layer_id}",
                               "parameters": {"featureId": "$response.body#/id"}}
    for method in ("patch", "delete"):
        if _METHOD_OPERATIONS[method] in layer.edit_operations:
            links[method.title()] = {"operationId": f"{method}{layer_id}", "parameters": {
                "featureId": "$response.body#/id", "If-Match": "$response.header.ETag"}}
    return links


def _add_extension_paths(document: dict, layer_id: str, layer: Layer) -> None:
    """History, restore and the cadastral operations (split, merge, lineage) of a layer."""
    paths, base = document["paths"], f"/collections/{layer_id}"
    feature = [{"$ref": "#/components/parameters/featureId"}]
    if layer.history:
        paths[f"{base}/items/{{featureId}}/history"] = {"get": {
            "summary": f"Change history of a feature of {layer_id}", "operationId": f"history{layer_id}",
            "parameters": feature, "responses": {"200": {"description": "History", "content": _JSON}}}}
        if "update" in layer.edit_operations:
            paths[f"{base}/items/{{featureId}}/history/{{entry}}/restore"] = {"post": {
                "summary": "Restore a past state as a new edit", "operationId": f"restore{layer_id}",
                "parameters": [*feature, _ENTRY, _IF_MATCH], "responses": _WRITE_RESPONSES}}
    if layer.cadastral:
        paths[f"{base}/items/{{featureId}}/lineage"] = {"get": {
            "summary": "Parents, children, ancestors and descendants", "operationId": f"lineage{layer_id}",
            "parameters": feature, "responses": {"200": {"description": "Lineage", "content": _JSON}}}}
        paths[f"{base}/items/{{featureId}}/split"] = {"post": {
            "summary": "Split by a line", "operationId": f"split{layer_id}", "requestBody": _SPLIT_BODY,
            "parameters": [*feature, _IF_MATCH], "responses": _WRITE_RESPONSES}}
        paths[f"{base}/merge"] = {"post": {
            "summary": "Merge adjacent features", "operationId": f"merge{layer_id}",
            "requestBody": _MERGE_BODY,
            "responses": {**_WRITE_RESPONSES, "201": {"description": "Merged", "content": _GEOJSON,
                                                        "links": _item_links(None, layer_id, layer)}}}}


def _add_write_operations(document: dict, profile: Profile) -> None:
    """The editing API (OGC API – Features Part 4) on the layers that have editors."""
    for layer_id, *_access in profile:
        layer = registry.get(layer_id)
        items = document["paths"].get(f"/collections/{layer_id}/items")
        item = document["paths"].get(f"/collections/{layer_id}/items/{{featureId}}")
        if items is None or item is None:
            continue
        _add_extension_paths(document, layer_id, layer)
        if not layer.edit_roles:
            continue
        get_item = item.get("get", {}).get("operationId")
        parameters = [{"$ref": "#/components/parameters/featureId"}, _IF_MATCH]
        for method, operation in _METHOD_OPERATIONS.items():
            if operation not in layer.edit_operations:
                continue
            target = items if method == "post" else item
            responses = _WRITE_RESPONSES if method == "delete" else {**_WRITE_RESPONSES, **{
                code: {"description": _WRITE_RESPONSES[code]["description"], "content": _GEOJSON,
                       "links": _item_links(get_item, layer_id, layer)} for code in ("200", "201")}}
            target[method] = {"summary": f"{method.upper()} a feature of {layer_id}",
                              "operationId": f"{method}{layer_id}", "responses": responses,
                              **({} if method == "post" else {"parameters": parameters}),
                              **({} if method == "delete" else {"requestBody": _FEATURE_BODY})}


@lru_cache(maxsize=32)
def openapi_document(profile: Profile, base_url: str) -> dict:
    """The OpenAPI 3.0 document for one profile (cached: building it takes a few hundred ms)."""
    document = get_oas(build_config(profile, base_url), fail_on_invalid_collection=False)
    components = document.setdefault("components", {})
    components.setdefault("responses", {}).update(RESPONSES)
    components.setdefault("parameters", {}).update(PARAMETERS)
    components.setdefault("schemas", {}).update({"exception": _EXCEPTION, "link": {"type": "object"}})
    _localize(document)
    document["paths"] = {path: item for path, item in document["paths"].items() if _served(path)}
    for path, item in document["paths"].items():
        if path.endswith("/items") and "get" in item:
            item["get"]["parameters"].extend(ITEMS_PARAMETERS)
            layer_id = path.split("/")[2]
            if layer_id in registry and registry.get(layer_id).history:
                item["get"]["parameters"].append(_AS_OF)
        for operation in item.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).setdefault("401", {"description": "Sign in needed"})
    _add_write_operations(document, profile)
    return document


def corrected_conformance(classes: list[str]) -> list[str]:
    """pygeoapi's conformance classes with the filter and the editing classes we implement."""
    return classes + [c for c in CONFORMANCE_ADDED if c not in classes]
