"""The map wall page: Django's template with the bundle's file names from Vite's manifest."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spatial import language

MANIFEST = Path(__file__).parent / "static" / "web_map" / ".vite" / "manifest.json"
ENTRY = "src/main.js"


@lru_cache(maxsize=4)
def bundle(entry: str = ENTRY) -> dict[str, list[str]]:
    """A built entry's script and stylesheets, its shared chunks' too (run scripts/up.sh or
    scripts/test.sh to build them)."""
    if not MANIFEST.exists():
        return {"scripts": [], "styles": []}
    manifest = json.loads(MANIFEST.read_text())
    styles: list[str] = []

    def add_styles(name: str) -> None:  # Vite's backend integration: CSS of the chunks it imports too
        chunk = manifest[name]
        for imported in chunk.get("imports", []):
            add_styles(imported)
        styles.extend(css for css in chunk.get("css", []) if css not in styles)

    add_styles(entry)
    return {"scripts": [manifest[entry]["file"]], "styles": styles}


def index(request: HttpRequest) -> HttpResponse:
    """The map wall (Vietnamese first; ?lang=en for English)."""
    lang = language.of(request)
    return render(request, "web_map/index.html", {"bundle": bundle(), "lang": lang})
