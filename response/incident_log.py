"""The incident log: what happened and who did it, in time order. The opening and each completed step
write their own lines (response.opening, response.steps); operators add notes and photos here."""

from __future__ import annotations

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from layers.models import Incident
from response.errors import ResponseRefused
from response.models import LogEntry
from spatial.params import text_problem
from spatial.photos import clean_photo

NOTE_CHARS = 4000


@transaction.atomic
def add_note(incident: Incident, *, by: str, note: str = "", photo: tuple[str, bytes] | None = None,
             at: datetime | None = None) -> LogEntry:
    """A note (and/or a photo, as (file name, bytes)) in `incident`'s log by user `by` at `at` (now)."""
    note = note.strip()
    if not note and photo is None:
        raise ResponseRefused("note: hãy ghi nội dung hoặc gửi ảnh / write a note or send a photo")
    if len(note) > NOTE_CHARS:
        raise ResponseRefused(f"note: tối đa {NOTE_CHARS} ký tự / at most {NOTE_CHARS} characters")
    if problem := text_problem(note):
        raise ResponseRefused(f"note: văn bản không hợp lệ / {problem}")
    cleaned = clean_photo(*photo, "photo", ResponseRefused) if photo is not None else None
    entry = LogEntry.objects.create(incident=incident, at=at or timezone.now(), by=by, kind="note", note=note)
    if cleaned is not None:
        content, entry.width, entry.height = cleaned
        entry.photo.save(f"{incident.code}-{entry.pk}.jpg", ContentFile(content), save=True)
    return entry
