"""The map wall page: Django's template with the bundle's file names from Vite's manifest."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MANIFEST = Path(__file__).parent / "static" / "web_map" / ".vite" / "manifest.json"
ENTRY = "src/main.js"


@lru_cache(maxsize=1)
def bundle() -> dict[str, list[str]]:
    """The built entry's script and stylesheets (run scripts/up.sh or scripts/test.sh to build them)."""
    if not MANIFEST.exists():
        return {"scripts": [], "styles": []}
    entry = json.loads(MANIFEST.read_text())[ENTRY]
    return {"scripts": [entry["file"]], "styles": entry.get("css", [])}


def index(request: HttpRequest) -> HttpResponse:
    """The map wall (Vietnamese first; ?lang=en for English)."""
    lang = "en" if request.GET.get("lang") == "en" else "vi"
    return render(request, "web_map/index.html", {"bundle": bundle(), "lang": lang})
