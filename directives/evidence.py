"""Evidence photos of a directive's step: at most MAX_PHOTOS a step, each already checked and encoded
again as a JPEG by whoever took the upload (the API uses citizen feedback's rule: at most 5 MB, no EXIF
or GPS tags survive), stored as <code>-<n>.jpg under the media folder and served only through the
directives API."""

from __future__ import annotations

from collections.abc import Sequence, Sized
from dataclasses import dataclass

from django.core.files.base import ContentFile

from directives.errors import DirectiveRefused
from directives.models import Directive, DirectivePhoto

MAX_PHOTOS = 5


@dataclass(frozen=True)
class Evidence:
    """A photo ready to keep: JPEG bytes re-encoded from the upload (no metadata), and its size."""

    content: bytes
    width: int
    height: int


def check_count(photos: Sized) -> None:
    """400 naming `photos` when a step brings more than MAX_PHOTOS."""
    if len(photos) > MAX_PHOTOS:
        raise DirectiveRefused(f"photos: tối đa {MAX_PHOTOS} ảnh mỗi lần báo cáo / "
                               f"at most {MAX_PHOTOS} photos a step")


def store(directive: Directive, step: object, photos: Sequence[Evidence]) -> list[DirectivePhoto]:
    """Keep the photos of one step (a django-fsm-log StateLog) of `directive`."""
    stored = []
    number = directive.photos.count()
    for photo in photos:
        number += 1
        kept = DirectivePhoto(directive=directive, step=step, width=photo.width, height=photo.height)
        kept.image.save(f"{directive.code}-{number}.jpg", ContentFile(photo.content), save=True)
        stored.append(kept)
    return stored
