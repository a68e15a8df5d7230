"""HTTP adapters of the editing API (OGC API – Features Part 4) and of history and lineage."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from layers.history import NoHistory, feature_history
from layers.registry import Layer, registry
from services.editing import cadastre, media
from services.editing.geojson import content_crs, read_feature
from services.editing.service import Editor, Written
from spatial.access import Viewer
from spatial.errors import NotFound
from spatial.params import whole_number


def _editor(request: HttpRequest, dataset: str) -> Editor:
    """The dataset's editor for the signed-in viewer; a dry run under `?dry-run=true`."""
    dry_run = request.GET.get("dry-run") == "true"
    return Editor(registry.get(dataset), Viewer.of(request.user), dry_run=dry_run)


def _checked(written: Written) -> JsonResponse:
    """A dry run's answer: what the write would do, nothing written (200)."""
    response = JsonResponse({"dryRun": True, **written.impact.as_json()})
    if written.etag:
        response["ETag"] = written.etag
    return response


def _feature_response(written: Written, status: int = 200, location: str | None = None) -> JsonResponse:
    response = JsonResponse(written.feature, status=status, content_type=media.GEOJSON)
    if written.etag:
        response["ETag"] = written.etag
    if location:
        response["Location"] = location
    return response


def create(request: HttpRequest, dataset: str) -> HttpResponse:
    """POST …/items: a new feature; 201 with Location and ETag (a dry run: what it would do, 200)."""
    written = _editor(request, dataset).create(
        read_feature(request.body), content_crs(request.headers.get("Content-Crs"))
    )
    if written.impact is not None:
        return _checked(written)
    location = request.build_absolute_uri(f"{request.path}/{written.feature['id']}")
    return _feature_response(written, 201, location)


def change(request: HttpRequest, dataset: str, identifier: str) -> HttpResponse:
    """PUT, PATCH or DELETE …/items/{id}, each guarded by If-Match; PUT and PATCH under
    `?dry-run=true` answer what they would do (area before and after, gaps, overlaps, the ward,
    whether to confirm) or the refusal the write would get, and write nothing."""
    editor = _editor(request, dataset)
    if_match = request.headers.get("If-Match")
    if request.method == "DELETE":
        editor.delete(identifier, if_match)
        return HttpResponse(status=204)
    editor.require("update" if request.method == "PATCH" else "replace")  # 403 before 415
    media.require_type(request, media.PATCH_TYPES if request.method == "PATCH" else media.FEATURE_TYPES)
    crs = content_crs(request.headers.get("Content-Crs"))
    document = read_feature(request.body)
    operation = editor.replace if request.method == "PUT" else editor.patch
    written = operation(identifier, document, crs, if_match)
    return _checked(written) if written.impact is not None else _feature_response(written)


def split(request: HttpRequest, dataset: str, identifier: str) -> JsonResponse:
    """POST …/parcels/items/{id}/split with {"line": LineString}: the new parcels (201)."""
    _cadastral_only(dataset)
    editor = _editor(request, dataset)
    editor.require("create", "delete")
    media.require_type(request, media.OPERATION_TYPES)
    children = cadastre.split(
        editor,
        identifier,
        read_feature(request.body),
        content_crs(request.headers.get("Content-Crs")),
        request.headers.get("If-Match"),
    )
    return JsonResponse({"type": "FeatureCollection", "features": [c.feature for c in children]}, status=201)


def merge(request: HttpRequest, dataset: str) -> JsonResponse:
    """POST …/parcels/merge with {"items": [{"id", "version"}, …]}: the new parcel (201)."""
    _cadastral_only(dataset)
    editor = _editor(request, dataset)
    editor.require("create", "delete")
    media.require_type(request, media.OPERATION_TYPES)
    return _feature_response(cadastre.merge(editor, read_feature(request.body)), 201)


def lineage(request: HttpRequest, dataset: str, identifier: str) -> JsonResponse:
    """GET …/parcels/items/{id}/lineage: parents, children, ancestors and descendants."""
    _cadastral_only(dataset)
    _readable(request, dataset)
    if (pk := whole_number(identifier)) is None:
        raise NotFound(f"không có thửa «{identifier}»", f"no parcel {identifier!r}")
    return JsonResponse(cadastre.lineage(pk))


def _cadastral_only(dataset: str) -> None:
    if not registry.get(dataset).cadastral:
        raise NotFound(f"tách, hợp và phả hệ chỉ có ở lớp địa chính, không có ở {dataset}",
                       f"split, merge and lineage exist for cadastral layers only, not {dataset}")


def _readable(request: HttpRequest, dataset: str) -> tuple[Viewer, tuple[str, ...]]:
    viewer = Viewer.of(request.user)
    layer = viewer.reads(registry.get(dataset))
    return viewer, viewer.readable_fields(layer)


def _in_scope(viewer: Viewer, layer: Layer, pk: int) -> bool:
    """Whether the feature lies within the viewer's units (always, for viewers not limited to some:
    their history includes deleted features); another unit's feature is as absent as a missing one."""
    return viewer.unit_scope(layer) is None or viewer.scoped(layer, layer.queryset()).filter(pk=pk).exists()


def _entry(entry: object, fields: set[str], layer_fields: dict[str, str], viewer: Viewer) -> dict:
    def visible(row: dict | None) -> dict | None:
        if row is None:
            return None
        return {name: row.get(column) for name, column in layer_fields.items() if name in fields}

    before, after = visible(entry.before), visible(entry.after)
    changes = {
        name: [before.get(name) if before else None, after.get(name) if after else None]
        for name in fields
        if (before or {}).get(name) != (after or {}).get(name)
    }
    if entry.before_geom != entry.after_geom:
        changes["geometry"] = True
    return {
        "id": entry.pk,
        "operation": entry.operation,
        "actor": entry.actor if viewer.roles else None,  # who edited: for readers with a role only
        "changedAt": timezone.localtime(entry.changed_at).isoformat(),
        "version": (entry.after or entry.before or {}).get("version"),
        "changes": changes,
        "before": before,
        "after": after,
        "beforeGeometry": _geojson(entry.before_geom),
        "afterGeometry": _geojson(entry.after_geom),
    }


def _geojson(geometry: object) -> dict | None:
    import json

    return None if geometry is None else json.loads(geometry.geojson)


def history(request: HttpRequest, dataset: str, identifier: str) -> JsonResponse:
    """GET …/items/{id}/history: every change of the feature, oldest first (who, when, what)."""
    viewer, fields = _readable(request, dataset)
    layer = registry.get(dataset)
    if (pk := whole_number(identifier)) is None:
        raise NotFound(f"không có đối tượng «{identifier}»", f"no feature {identifier!r}")
    try:
        entries = list(feature_history(layer, pk))
    except NoHistory as exc:
        raise NotFound(str(exc)) from None
    if not entries or not _in_scope(viewer, layer, pk):
        raise NotFound(f"đối tượng {identifier} của {dataset} không có lịch sử",
                       f"no history for feature {identifier} of {dataset}")
    columns = {name: layer.model_class._meta.get_field(name).attname for name in fields}
    return JsonResponse(
        {
            "id": int(identifier),
            "collection": dataset,
            "versions": [_entry(e, set(fields), columns, viewer) for e in entries],
        }
    )


def restore(request: HttpRequest, dataset: str, identifier: str, entry: str) -> JsonResponse:
    """POST …/items/{id}/history/{entry}/restore: that state again, as a new edit (If-Match)."""
    layer = registry.get(dataset)
    editor = _editor(request, dataset)
    try:
        pk, entry_id = whole_number(identifier), whole_number(entry)
        old = None if pk is None or entry_id is None \
            else feature_history(layer, pk).filter(pk=entry_id).first()
    except NoHistory as exc:
        raise NotFound(str(exc)) from None
    if old is None or old.after is None:
        raise NotFound(f"không có trạng thái {entry} để khôi phục cho đối tượng {identifier}",
                       f"no restorable state {entry} of feature {identifier}")
    properties = {
        name: old.after.get(layer.model_class._meta.get_field(name).attname) for name in layer.writable_fields
    }
    document = {"properties": properties}
    if layer.geometry_editable:
        document["geometry"] = _geojson(old.after_geom)
    return _feature_response(editor.patch(identifier, document, None, request.headers.get("If-Match")))
