"""`GET /api/search?q=&ward=&limit=&lang=`: the map wall's one search box.

Finds, ranked, what the layers declare searchable (layers.search, `Layer.search`): wards (the
current tree first), parcels by sheet and parcel numbers in the forms officials type ('tờ 12 thửa
345', '12/345', 't12 th345': web_map.parcel_numbers), addresses, streets, facilities by name, incident
and report codes, cameras, and owners by name for the roles declared to search them; diacritics and
case ignored. Only layers and fields the viewer may read are searched, and unit staff find only their
units' features (spatial.access, as /api/stats and the OGC items). `ward` (a unit's code) narrows the
search to that area, except the wards themselves.

Answer: ``{"query", "numbers": {"sheet", "parcel"} | null, "results": [{"kind", "kind_label", "layer",
"id", "label", "detail", "ward", "unit", "score", "bbox": [w, s, e, n], "point": [lon, lat]}]}``;
`unit` is the AdminUnit id of a ward hit (choosing it drills down to it), `detail` what matched when
the label does not say it (an address, an owner's name).
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.models import AdminUnit
from layers.registry import Layer, registry
from layers.search import SEARCH_KINDS
from spatial.access import Viewer
from spatial.errors import BadRequest
from spatial.params import whole_parameter
from spatial.text import fold
from web_map.parcel_numbers import parse
from web_map.search_sql import Terms, statement
from web_map.stats import unit_params

MIN_LENGTH = 2  # fewer folded characters find nothing (every address holds an 'a')
MAX_LENGTH = 200
DEFAULT_LIMIT, MAX_LIMIT = 10, 50


class SearchError(BadRequest):
    """A search parameter refused, in Vietnamese or (under ?lang=en) English."""


def searched_layers(viewer: Viewer) -> list[Layer]:
    """The layers that declare a search and the viewer may read, in registry order."""
    return [layer for layer in registry if layer.search is not None and viewer.can_read(layer)]


def area_of(code: str) -> int | None:
    """The AdminUnit id of the unit with `code` (the newest of that code), None for no code; 400 if none."""
    if not code:
        return None
    unit = AdminUnit.objects.filter(code=code).order_by("-valid_from").values_list("id", flat=True).first()
    if unit is None:
        raise SearchError(f"ward: không có phường, xã nào mã {code!r}",
                          f"ward: there is no ward or commune with code {code!r}; take one from /api/units")
    return unit


def terms_of(q: str, unit_id: int | None, limit: int) -> Terms:
    """What `q` says, read for each way of matching (400 when it is too long)."""
    if len(q) > MAX_LENGTH:
        raise SearchError(f"q: nội dung tìm dài quá {MAX_LENGTH} ký tự",
                          f"q: the search text is longer than {MAX_LENGTH} characters")
    code = "".join(q.split()).upper()
    return Terms(text=fold(q), code=code, numbers=parse(q), unit_id=unit_id, limit=limit)


def run(viewer: Viewer, terms: Terms) -> list[tuple]:
    """The ranked rows of the search (see web_map.search_sql.LAYER for their columns)."""
    if len(terms.text) < MIN_LENGTH:
        return []
    query, params = statement(searched_layers(viewer), viewer, terms)
    if query is None:
        return []
    params.update(unit_params(viewer), kinds=list(SEARCH_KINDS))
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(None), params)
        return cursor.fetchall()


def result(row: tuple, language: str) -> dict:
    """One hit as the map needs it: what it is, its label, where to fly."""
    layer_id, feature_id, kind, score, matched, fields, ward, _current, *box = row
    search = registry.get(layer_id).search
    label = search.label(json.loads(fields) if isinstance(fields, str) else fields, language)
    vi, en = SEARCH_KINDS[kind]
    return {
        "kind": kind, "kind_label": en if language == "en" else vi, "layer": layer_id, "id": feature_id,
        "label": label, "detail": matched if matched and fold(matched) != fold(label) else None,
        "ward": ward, "unit": feature_id if registry.get(layer_id).model_class is AdminUnit else None,
        "score": round(score, 3), "bbox": [round(value, 7) for value in box[:4]],
        "point": [round(value, 7) for value in box[4:]],
    }


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    """The ranked hits of ?q= for the viewer, within ?ward= (a unit's code) when given."""
    args = request.GET
    language = "en" if args.get("lang") == "en" else "vi"
    q = args.get("q", "").strip()
    limit = whole_parameter(args, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    terms = terms_of(q, area_of(args.get("ward", "").strip()), limit)
    rows = run(Viewer.of(request.user), terms)
    numbers = {"sheet": terms.numbers.sheet, "parcel": terms.numbers.parcel} if terms.numbers else None
    return JsonResponse({"query": q, "numbers": numbers, "results": [result(row, language) for row in rows]})
