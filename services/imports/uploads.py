"""Uploaded files, each in a private folder of its own under MEDIA_ROOT/imports/<id>/ (never served
as such): the file, the mapping of its last run, the refused rows, and `state.json`, which the web and
the queue's worker both read and write (atomically): owner, file, options, status, progress, reports."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from etl.sources import READERS
from services.imports.errors import BadUpload, TooLarge, UnknownUpload, UnsupportedFile
from spatial.access import Viewer

logger = logging.getLogger(__name__)
FOLDER = "imports"
STATE = "state.json"
_ID = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[^\w.\-]+")


def root() -> Path:
    """The private folder holding every upload's folder."""
    return Path(settings.MEDIA_ROOT) / FOLDER


def max_bytes() -> int:
    """The upload limit (IOC_MAX_UPLOAD_MB)."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class Upload:
    """One uploaded file and its state."""

    def __init__(self, folder: Path, state: dict) -> None:
        self.folder, self.state = folder, state

    @property
    def id(self) -> str:
        return self.folder.name

    @property
    def path(self) -> Path:
        return self.folder / self.state["file"]

    def file(self, name: str) -> Path:
        return self.folder / name

    def save(self) -> None:
        """Write the state atomically (a reader never sees half of it)."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.state, out, ensure_ascii=False, default=str)
        os.replace(temporary, self.folder / STATE)

    def reload(self) -> Upload:
        self.state = _read(self.folder)
        return self

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def store(uploaded: UploadedFile, viewer: Viewer) -> Upload:
    """Keep an uploaded file in a new private folder; 413 over the limit, 415 for an unknown format."""
    name = Path(uploaded.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        raise UnsupportedFile(
            f"file: không đọc được loại tệp {suffix or '(không có phần mở rộng)'} của {name}; "
            f"dùng một trong {', '.join(sorted(READERS))}",
            f"file: {name} has an unsupported format {suffix or '(no extension)'}; "
            f"use one of {', '.join(sorted(READERS))}")
    if uploaded.size > max_bytes():
        limit = max_bytes() // (1024 * 1024)
        raise TooLarge(f"file: tệp {name} lớn hơn giới hạn {limit} MB",
                       f"file: {name} is over the {limit} MB limit")
    if uploaded.size == 0:
        raise BadUpload(f"file: tệp {name} rỗng", f"file: {name} is empty")
    folder = root() / uuid.uuid4().hex
    folder.mkdir(parents=True, mode=0o700)
    safe = _UNSAFE.sub("_", Path(name).stem)[:80] or "upload"
    with open(folder / f"{safe}{suffix}", "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    upload = Upload(folder, {"owner": viewer.username, "name": name, "file": f"{safe}{suffix}",
                             "size": uploaded.size, "uploaded_at": timezone.now().isoformat(),
                             "status": "uploaded", "progress": None, "options": None,
                             "dry_run": None, "load": None})
    upload.save()
    return upload


def get(upload_id: str, viewer: Viewer | None = None) -> Upload:
    """The upload `upload_id`, if it is `viewer`'s (None: anyone's, for the worker); else 404."""
    folder = root() / upload_id if _ID.match(upload_id) else None
    state = _read(folder) if folder is not None and (folder / STATE).exists() else None
    if state is None or (viewer is not None and state["owner"] != viewer.username):
        raise UnknownUpload(f"không có tệp tải lên {upload_id}", f"no upload {upload_id}")
    return Upload(folder, state)


@contextmanager
def changing(upload_id: str) -> Iterator[Upload]:
    """The upload, saved on leaving (for the worker's updates)."""
    upload = get(upload_id)
    yield upload
    upload.save()


def _read(folder: Path) -> dict:
    return json.loads((folder / STATE).read_text(encoding="utf-8"))
