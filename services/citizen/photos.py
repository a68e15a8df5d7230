"""Where a report's photos are seen: their public addresses (/phan-anh/<code>/anh/<n>, served by the
citizens' pages), the same for the citizen, the case page and the operator's desk. The stored files
(under the media folder) are never served as such."""

from __future__ import annotations

from django.urls import reverse

from layers.models import CitizenReport


def photo_addresses(report: CitizenReport) -> list[str]:
    """The addresses of the report's photos, in the order they were filed."""
    return [reverse("citizen-photo", args=[report.code, number])
            for number in range(1, report.photos.count() + 1)]
