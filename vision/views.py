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

SNAPSHOT_URL = "/media/vision/cameras/{id}/latest.jpg"  # the map's camera popup fills in the id


def evidence_prefix() -> str:
    """Where evidence frames are served (links in incident descriptions start with it)."""
    return f"/{settings.MEDIA_URL.strip('/')}/{SUBDIR.as_posix()}/"


def may_see_frames(viewer: Viewer) -> bool:
    """Camera frames show what the cameras saw: for viewers who may read camera detections."""
    return any(viewer.can_read(layer) for layer in registry.for_model(Detection))


def _frames_allowed(request: HttpRequest) -> None:
    viewer = Viewer.of(request.user)
    if not may_see_frames(viewer):
        if viewer.is_anonymous:
            raise NotAuthenticated("ảnh camera bị hạn chế: hãy đăng nhập với vai trò vận hành / "
                                   "evidence frames are restricted: sign in as an operator")
        raise Forbidden("vai trò của bạn không được xem ảnh camera / "
                        "your roles do not allow seeing camera evidence")


@require_GET
def latest_frame(request: HttpRequest, camera_id: int) -> FileResponse:
    """GET /media/vision/cameras/<id>/latest.jpg: the newest frame the vision pipeline kept for a camera
    (its track crops and incident frames, vision.evidence), for viewers who may read camera detections."""
    _frames_allowed(request)
    folder = settings.MEDIA_ROOT / SUBDIR / f"camera-{camera_id}"
    frames = [path for path in folder.glob("*.jpg") if path.is_file()] if folder.is_dir() else []
    if not frames:
        raise NotFound(f"camera {camera_id} chưa có ảnh / no frame of camera {camera_id} yet")
    newest = max(frames, key=lambda path: path.stat().st_mtime)
    response = FileResponse(newest.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def evidence(request: HttpRequest, name: str) -> FileResponse:
    """GET /media/vision/evidence/<name>: one JPEG, for viewers who may read camera detections."""
    _frames_allowed(request)
    root = (settings.MEDIA_ROOT / SUBDIR).resolve()
    if "\x00" in name:
        raise NotFound(f"no evidence frame {name!r}")
    path = (root / name).resolve()
    if root not in path.parents or path.suffix.lower() != ".jpg" or not path.is_file():
        raise NotFound(f"no evidence frame {name!r}")
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
