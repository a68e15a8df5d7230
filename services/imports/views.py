"""HTTP adapters of the browser import (mounted at /api/imports/); shapes in docs/importing.md.

Anonymous: 401; signed in without an importing role: 403; an upload is seen by its owner only."""

from __future__ import annotations

import json

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from etl.importer import MODES
from services.editing.csrf import enforce_csrf
from services.imports import runs, suggestions, uploads
from services.imports.access import check_target, importable, importer, ward_bound
from services.imports.errors import BadUpload
from services.imports.uploads import Upload
from spatial import language


def _shown(upload: Upload) -> dict:
    state = {k: v for k, v in upload.state.items() if k != "file"}
    return {"id": upload.id, **state}


def _body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise BadUpload("gửi một đối tượng JSON", "send a JSON object")
    return body


@csrf_exempt
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> JsonResponse:
    """GET: the layers the viewer may import into, the modes and the size limit. POST (multipart,
    `file`): keep the file in a private folder and answer its id (201), its layers if it has several."""
    viewer = importer(request)
    if request.method == "GET":
        return JsonResponse({"layers": importable(viewer), "modes": list(MODES),
                             "ward_bound": ward_bound(viewer),
                             "max_mb": uploads.max_bytes() // (1024 * 1024)})
    enforce_csrf(request)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise BadUpload("file: hãy gửi một tệp (trường 'file' của biểu mẫu multipart)",
                        "file: send a file (the multipart form's 'file' field)")
    upload = uploads.store(uploaded, viewer)
    layers = suggestions.source_layers(upload)
    try:
        suggestions.read(upload, layers[0] if layers else None)  # a file that cannot be read: 400 now
    except BadUpload:
        upload.discard()
        raise
    upload.state["source_layers"] = layers
    upload.save()
    return JsonResponse({**_shown(upload), "layers": importable(viewer)}, status=201)


@csrf_exempt
@require_http_methods(["GET", "DELETE"])
def upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """GET: the upload's state (status, progress, the dry run's and the load's reports).
    DELETE: discard it."""
    viewer = importer(request)
    found = uploads.get(upload_id, viewer)
    if request.method == "DELETE":
        enforce_csrf(request)
        runs.check_idle(found)
        found.discard()
        return HttpResponse(status=204)
    return JsonResponse(_shown(found))


@require_GET
def columns(request: HttpRequest, upload_id: str) -> JsonResponse:
    """GET ?layer=&source_layer=: the mapping step (the file's columns, the layer's fields, suggestions)."""
    viewer = importer(request)
    found = uploads.get(upload_id, viewer)
    layer = request.GET.get("layer", "")
    check_target(viewer, layer, "append")
    return JsonResponse(suggestions.mapping_step(found, layer, request.GET.get("source_layer") or None))


@csrf_exempt
@require_http_methods(["POST"])
def dry_run(request: HttpRequest, upload_id: str) -> JsonResponse:
    """POST {layer, mode, mapping, crs, source_layer, load_valid, repair}: queue a dry run (202)."""
    viewer = importer(request)
    enforce_csrf(request)
    found = uploads.get(upload_id, viewer)
    options = runs.options_of({**_body(request), "language": language.of(request)}, viewer)
    runs.start_dry_run(found, options)
    return JsonResponse(_shown(found), status=202)


@csrf_exempt
@require_http_methods(["POST"])
def load(request: HttpRequest, upload_id: str) -> JsonResponse:
    """POST {confirm_delete}: queue the load the last dry run checked (202); replace needs confirm_delete."""
    viewer = importer(request)
    enforce_csrf(request)
    found = uploads.get(upload_id, viewer)
    runs.start_load(found, viewer, _body(request).get("confirm_delete"))
    return JsonResponse(_shown(found), status=202)


@require_GET
def refused(request: HttpRequest, upload_id: str) -> FileResponse:
    """GET ?run=dry_run|load: the refused rows (GeoPackage, or CSV for a table) with row and reason."""
    viewer = importer(request)
    found = uploads.get(upload_id, viewer)
    path = runs.refused_file(found, request.GET.get("run", "dry_run"))
    stem = found.state["name"].rsplit(".", 1)[0]
    return FileResponse(open(path, "rb"), as_attachment=True,  # noqa: SIM115 (FileResponse closes it)
                        filename=f"{stem}-tu-choi{path.suffix}")
