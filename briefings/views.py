"""HTTP adapter of the briefings (mounted at /api/briefings/): GET <kind>?area=&period=&format=pdf|xlsx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from briefings.access import check_reader
from briefings.build import build
from briefings.errors import BadParameter
from briefings.pdf import render_pdf
from briefings.xlsx import render_xlsx
from spatial import language

FORMATS = {
    "pdf": (render_pdf, "application/pdf"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@require_GET
def briefing(request: HttpRequest, kind: str) -> HttpResponse:
    """The `kind` (weekly, monthly) briefing of the area `area` (a province's or commune's code) for
    `period` (a label such as 2026-W09 or 2026-02, or a day in it; default the last one ended), as a
    download in `format` (pdf, the default, or xlsx), in Vietnamese or, under ?lang=en, in English."""
    check_reader(request.user)
    name = request.GET.get("format", "pdf").strip().lower()
    if name not in FORMATS:
        raise BadParameter(f"format: «{name}» không phải định dạng (pdf, xlsx)",
                           f"format: {name!r} is no format (pdf, xlsx)")
    content = build(kind, request.GET.get("area", "").strip(), request.GET.get("period", "").strip() or None)
    render, mimetype = FORMATS[name]
    answer = HttpResponse(render(content, language=language.of(request)), content_type=mimetype)
    answer["Content-Disposition"] = f'attachment; filename="{content.filename(name)}"'
    answer["Cache-Control"] = "private, no-store"
    return answer
