"""Evidence frames over HTTP: the same access rule as the detections they show."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from layers.models import Detection
from layers.registry import registry
from spatial.access import Viewer
from spatial.errors import Forbidden, NotAuthenticated, NotFound
from vision.evidence import SUBDIR


@require_GET
def evidence(request: HttpRequest, name: str) -> FileResponse:
    """GET /media/vision/evidence/<name>: one JPEG, for viewers who may read camera detections."""
    viewer = Viewer.of(request.user)
    if not any(viewer.can_read(layer) for layer in registry.for_model(Detection)):  # what the cameras saw
        if viewer.is_anonymous:
            raise NotAuthenticated("evidence frames are restricted: sign in as an operator")
        raise Forbidden("your roles do not allow seeing camera evidence")
    root = (settings.MEDIA_ROOT / SUBDIR).resolve()
    if "\x00" in name:
        raise NotFound(f"no evidence frame {name!r}")
    path = (root / name).resolve()
    if root not in path.parents or path.suffix.lower() != ".jpg" or not path.is_file():
        raise NotFound(f"no evidence frame {name!r}")
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
