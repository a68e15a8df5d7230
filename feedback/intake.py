"""A citizen's report coming in (the public page, Open311, an operator taking a hotline call).

The report is stored `received` in the commune holding its point today (ioc_commune_at), with a
tracking code, its deadline (feedback.workflow) and its likely duplicate (feedback.duplicates). Up
to MAX_PHOTOS photos are cleaned by spatial.photos (at most 5 MB each, encoded again as JPEG: nothing of
the original file survives, EXIF and GPS tags included).
Contact details go to the reporter's record only (restricted). One client address may file at most
IOC_FEEDBACK_PER_HOUR reports an hour (its SHA-256 digest is kept, not the address).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from feedback.models import ReportPhoto, Submission
from layers.communes import communes_at
from layers.models import AdminUnit, CitizenReport, CitizenReporter
from layers.vocabularies import REPORT_CATEGORY, REPORT_CHANNEL
from spatial.errors import BadRequest, TooManyRequests
from spatial.photos import clean_photo

MAX_PHOTOS = 3
CONTACT_FIELDS = ("full_name", "phone", "email")


class IntakeError(BadRequest):
    """The report cannot be taken as sent: the message names the field."""


@dataclass(frozen=True)
class Photo:
    name: str
    content: bytes


def _digest(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _check_rate(digest: str) -> None:
    limit = settings.IOC_FEEDBACK_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if Submission.objects.filter(address_digest=digest, submitted_at__gte=since).count() >= limit:
        raise TooManyRequests(f"quá {limit} phản ánh trong một giờ từ địa chỉ này, hãy thử lại sau / "
                              f"more than {limit} reports an hour from this address: try again later", 3600)


def key_digest(key: str) -> str:
    """What is kept of a citizen's key: its SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()


def _code() -> str:
    return f"PA-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}"


def file_report(*, category: str, title: str, lon: float, lat: float, address: str, description: str = "",
                channel: str = "web", photos: Sequence[Photo] = (),
                contact: Mapping[str, str] | None = None, limited: bool = True) -> CitizenReport:
    """Store a citizen's report as sent from client `address`; IntakeError (400) naming what is wrong,
    TooManyRequests (429) past the hourly limit (`limited` False: a trusted app, not counted)."""
    if category not in REPORT_CATEGORY:
        known = ", ".join(REPORT_CATEGORY.codes)
        raise IntakeError(f"category: {category!r} không có trong danh mục / is not one of {known}")
    if channel not in REPORT_CHANNEL:
        raise IntakeError(f"channel: {channel!r} is not one of {', '.join(REPORT_CHANNEL.codes)}")
    if not title.strip():
        raise IntakeError("title: hãy mô tả ngắn sự việc / describe what you saw")
    if len(photos) > MAX_PHOTOS:
        raise IntakeError(f"photos: tối đa {MAX_PHOTOS} ảnh / at most {MAX_PHOTOS} photos")
    cleaned = [clean_photo(photo.name, photo.content, "photos", IntakeError) for photo in photos]
    point = Point(float(lon), float(lat), srid=4326)
    (ward_id,) = communes_at([point.ewkt], [timezone.localdate()])
    if ward_id is None:
        raise IntakeError("location: vị trí nằm ngoài địa bàn / the location is outside the city")
    digest = _digest(address)
    with transaction.atomic():
        if limited:
            _check_rate(digest)
        key = secrets.token_urlsafe(16)
        report = CitizenReport.objects.create(
            code=_code(), category=category, channel=channel, title=title.strip()[:300],
            description=description.strip(), received_at=timezone.now(), geom=point,
            ward=AdminUnit.objects.get(pk=ward_id), citizen_key_digest=key_digest(key))
        report.citizen_key = key  # given to the citizen once (to rate or reopen), never stored
        for number, (content, width, height) in enumerate(cleaned, start=1):
            photo = ReportPhoto(report=report, width=width, height=height)
            photo.image.save(f"{report.code}-{number}.jpg", ContentFile(content), save=True)
        contact = {key: (contact or {}).get(key, "").strip() for key in CONTACT_FIELDS}
        if any(contact.values()):
            CitizenReporter.objects.create(report=report, **contact)
        Submission.objects.create(address_digest=digest, report=report)
    return report
