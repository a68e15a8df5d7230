"""Uploaded photos (citizens' reports, the incident log, directives' evidence), decoded and encoded again
as JPEG: upright, at most MAX_PIXELS a side, and nothing of the original file kept (EXIF, GPS tags, XMP,
comments). One rule for every upload."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from spatial.errors import BadRequest

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 2048


def clean_photo(name: str, content: bytes, field: str = "photos",
                refusal: type[BadRequest] = BadRequest) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of the photo called `name`; `refusal` (400) naming `field` when it is
    too large or not an image."""
    if len(content) > MAX_PHOTO_BYTES:
        raise refusal(f"{field}: {name} lớn hơn 5 MB / is larger than 5 MB")
    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise refusal(f"{field}: {name} không phải ảnh / is not an image (JPEG, PNG, WebP)") from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_PIXELS, MAX_PIXELS))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # no exif=, icc_profile= or xmp=: none is written
    return out.getvalue(), image.width, image.height
