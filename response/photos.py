"""A photo of the incident log, decoded and encoded again as JPEG: upright, at most MAX_PIXELS a side, no
metadata (EXIF, GPS tags, XMP, comments) — the approach of feedback.intake, which this floor may not
import (the same floor)."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from response.errors import ResponseRefused

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 2048


def clean_photo(name: str, content: bytes) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of the photo; ResponseRefused naming `photo` if it is not one."""
    if len(content) > MAX_PHOTO_BYTES:
        raise ResponseRefused(f"photo: {name} lớn hơn 5 MB / is larger than 5 MB")
    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ResponseRefused(f"photo: {name} không phải ảnh / is not an image (JPEG, PNG, WebP)") from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_PIXELS, MAX_PIXELS))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # no exif=, icc_profile= or xmp=: none is written
    return out.getvalue(), image.width, image.height
