"""The citizens' pages: file a report from a phone (/phan-anh/) and follow it by its tracking code
(/phan-anh/<code>). Both pages read and write through the public API (/api/feedback/); this module
only serves their templates, the code lists they label things with, and a case's photos."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from feedback.models import ReportPhoto
from layers.models import CitizenReport
from layers.vocabularies import REPORT_CATEGORY, REPORT_STATUS
from spatial import language
from spatial.errors import NotFound
from web_map.views import bundle

ENTRY = "src/citizen/main.js"


def _context(request: HttpRequest, page: str, **extra: object) -> dict:
    lang = language.of(request)
    return {"bundle": bundle(ENTRY), "lang": lang, "page": page,
            "vocabularies": {"categories": REPORT_CATEGORY.legend(), "statuses": REPORT_STATUS.legend()},
            **extra}


@require_GET
def report_form(request: HttpRequest) -> HttpResponse:
    """The filing form (Vietnamese first; ?lang=en for English)."""
    return render(request, "web_map/citizen_form.html", _context(request, "form"))


@require_GET
def case_page(request: HttpRequest, code: str) -> HttpResponse:
    """The public case of a report by its tracking code; a page saying so (404) for an unknown code."""
    if not CitizenReport.objects.filter(code=code).exists():
        return render(request, "web_map/citizen_missing.html", _context(request, "missing", code=code),
                      status=404)
    return render(request, "web_map/citizen_case.html", _context(request, "case", code=code))


@require_GET
def photo(request: HttpRequest, code: str, number: int) -> FileResponse:
    """The `number`th photo (from 1) of a report: public like its case (re-encoded, no metadata)."""
    photos = ReportPhoto.objects.filter(report__code=code).order_by("pk")
    found = next(iter(photos[number - 1:number]), None) if number >= 1 else None
    if found is None or not found.image.storage.exists(found.image.name):
        raise NotFound(f"phản ánh {code!r} không có ảnh số {number} / report {code!r} has no photo {number}")
    response = FileResponse(found.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
