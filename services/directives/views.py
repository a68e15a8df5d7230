"""HTTP adapters of the directives API (mounted at /api/directives/; routes in urls.py, shapes in
docs/directives.md): the list and the issue form, one directive, its moves, its photos, the units a
directive may be given to, and the figures per unit. Writes need a signed-in user and, from a browser,
its CSRF token (services.editing.csrf)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from directives import issuing, moves
from directives.escalation import directives_layer
from directives.models import DirectivePhoto
from directives.vocabularies import DIRECTIVE_PRIORITY, DIRECTIVE_STATUS, MOVES_BY_NAME
from layers.models import ResponsibleUnit
from layers.vocabularies import UNIT_KIND
from services.directives import forms, listing, summary
from services.directives.access import reader, visible, visible_one
from services.directives.case import case_file
from services.editing.csrf import csrf_checked, enforce_csrf
from spatial.errors import NotFound


@csrf_exempt
@require_http_methods(["GET", "POST"])
def directives(request: HttpRequest) -> JsonResponse:
    """GET: the list (filters in services.directives.listing); POST: issue a directive (201)."""
    if request.method == "POST":
        enforce_csrf(request)
        viewer = reader(request)
        issuing.require_issuer(viewer)
        made = issuing.issue(forms.order(forms.json_body(request)), viewer)
        made_now = visible(viewer).filter(pk__in=[directive.pk for directive in made])
        rows = listing.with_overdue(made_now, directives_layer()).order_by("code")
        return JsonResponse({"batch": made[0].batch, "directives": [listing.row(row) for row in rows]},
                            status=201)
    viewer = reader(request)
    filters = listing.read_filters(request.GET)
    return JsonResponse(listing.page(visible(viewer), directives_layer(), filters))


@require_GET
def directive(request: HttpRequest, directive_id: int) -> JsonResponse:
    """GET <id>: the directive with its history and the moves this viewer may make (404: not visible)."""
    viewer = reader(request)
    return JsonResponse(case_file(viewer, directives_layer(), visible_one(viewer, directive_id)))


@csrf_checked
def move(request: HttpRequest, directive_id: int, name: str) -> JsonResponse:
    """POST <id>/<move>: acknowledge, progress, done or cancel; the directive after it."""
    if name not in MOVES_BY_NAME:
        raise NotFound(f"không có bước «{name}» / no move {name!r}: use one of {', '.join(MOVES_BY_NAME)}")
    viewer = reader(request)
    found = visible_one(viewer, directive_id)
    note, photos = forms.step(request, MOVES_BY_NAME[name])
    moved = moves.make(viewer, found, name, note, photos)
    return JsonResponse(case_file(viewer, directives_layer(), moved))


@require_GET
def photo(request: HttpRequest, directive_id: int, number: int) -> FileResponse:
    """GET <id>/photos/<n>: the n-th evidence photo (from 1), for whoever sees the directive."""
    found = visible_one(reader(request), directive_id)
    photos = DirectivePhoto.objects.filter(directive=found).order_by("pk")
    chosen = next(iter(photos[number - 1:number]), None) if number >= 1 else None
    if chosen is None or not chosen.image.storage.exists(chosen.image.name):
        raise NotFound(f"chỉ đạo {found.code} không có ảnh số {number} / "
                       f"directive {found.code} has no photo {number}")
    response = FileResponse(chosen.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def units(request: HttpRequest) -> JsonResponse:
    """GET units: what the issue form offers (the active units, the urgencies) and whether this viewer
    issues directives (`may_issue`: leaders and administrators)."""
    viewer = reader(request)
    active = ResponsibleUnit.objects.filter(active=True).order_by("unit_kind", "name")
    return JsonResponse({
        "may_issue": issuing.may_issue(viewer),
        "units": [{"id": unit.pk, "code": unit.code, "name": unit.name, "name_en": unit.name_en or unit.name,
                   "unit_kind": unit.unit_kind, "unit_kind_vi": UNIT_KIND[unit.unit_kind].vi,
                   "unit_kind_en": UNIT_KIND[unit.unit_kind].en} for unit in active],
        "priorities": DIRECTIVE_PRIORITY.legend(),
        "statuses": DIRECTIVE_STATUS.legend(),
    })


@require_GET
def figures(request: HttpRequest) -> JsonResponse:
    """GET summary?…: directives per unit (the list's filters), for the leaders' board."""
    viewer = reader(request)
    filters = listing.read_filters(request.GET)
    return JsonResponse(summary.by_unit(visible(viewer), directives_layer(), filters))
