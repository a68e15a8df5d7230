"""Which bodies the write paths take: routed by the declared media type, never by sniffing bytes.

A form a browser can send cross-site (text/plain, form-urlencoded, multipart) is never a write:
415 before anything is read. POST …/items is a creation when it carries GeoJSON and a CQL2 query
otherwise; OWSLib sends its CQL2-JSON queries as plain application/json, so for that type alone the
parsed document decides: a GeoJSON Feature creates, anything else queries.
"""

from __future__ import annotations

import json

from django.http import HttpRequest

from spatial.errors import PayloadTooLarge, UnsupportedMediaType

GEOJSON = "application/geo+json"
JSON = "application/json"
FEATURE_TYPES = (GEOJSON, JSON)  # PUT and POST of a feature
PATCH_TYPES = (*FEATURE_TYPES, "application/merge-patch+json")  # a PATCH merges its members (RFC 7396)
OPERATION_TYPES = FEATURE_TYPES  # split and merge bodies
QUERY_TYPES = ("application/cql2+json", "application/query-cql-json", JSON)
QUERY_BODY_LIMIT = 1024 * 1024  # a CQL2 query by POST: 1 MB
FEATURE_BODY_LIMIT = 5 * 1024 * 1024  # a feature or a cadastral operation: 5 MB


def require_type(request: HttpRequest, accepted: tuple[str, ...]) -> None:
    """Refuse (415) a body whose Content-Type is not one of `accepted`."""
    if request.content_type not in accepted:
        raise UnsupportedMediaType(
            f"Content-Type {request.content_type or '(none)'!r} is not accepted here; "
            f"send the body as {' or '.join(accepted)}")


def is_feature_post(request: HttpRequest) -> bool:
    """Whether a POST to …/items creates a feature (else it is a CQL2 query or a plain read)."""
    if request.content_type == GEOJSON:
        return True
    if not request.body:
        return False
    if request.content_type not in QUERY_TYPES:
        require_type(request, (GEOJSON, *QUERY_TYPES))
    if len(request.body) > FEATURE_BODY_LIMIT:  # neither a feature nor a query: refused unread
        raise PayloadTooLarge(f"a body here may hold at most {FEATURE_BODY_LIMIT // 1024 // 1024} MB")
    if request.content_type == JSON:
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return False  # the query parser says what is wrong with it
        if isinstance(document, dict) and document.get("type") == "Feature":
            return True
    return False


def query_body(request: HttpRequest) -> str:
    """The CQL2-JSON text of a query POST, at most QUERY_BODY_LIMIT bytes (413 beyond)."""
    if len(request.body) > QUERY_BODY_LIMIT:
        raise PayloadTooLarge(f"a query body may hold at most {QUERY_BODY_LIMIT // 1024} KB; "
                              "simplify the filter geometry or use bbox")
    return request.body.decode("utf-8", "replace")
