"""The language of a request: Vietnamese, English under `?lang=en` (pages, JSON and errors alike; the
map's requests add it when its interface is English, web_map/frontend/src/api.js)."""

from __future__ import annotations

from django.http import HttpRequest

LANGUAGES = ("vi", "en")


def of(request: HttpRequest) -> str:
    """"en" for a request with ?lang=en, else "vi"."""
    return "en" if request.GET.get("lang") == "en" else "vi"
