"""The browser import's page (/nhap-du-lieu/): upload, map, dry run, confirm, all through /api/imports/;
this module only serves its template (Vietnamese first; ?lang=en for English)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from spatial import language
from web_map.views import bundle

ENTRY = "src/imports/main.js"


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """The import page; it signs in, uploads and polls through the API."""
    lang = language.of(request)
    return render(request, "web_map/import.html", {"bundle": bundle(ENTRY), "lang": lang})
