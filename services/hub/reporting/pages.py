"""The pages of data entry and completeness (server-rendered, Vietnamese; English with ?lang=en),
mounted at the site's root by ioc.urls: a unit's form of a period (/chi-tieu/nhap/<unit>/<period>/:
save, submit, approve, return, upload the XLSX) and the completeness table with its map
(/chi-tieu/ty-le-bao-cao/?indicator=&period=)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from indicators import entry
from indicators.completeness import STATE_NAMES, counts
from indicators.validation import EntryRefused
from services.hub.reporting import views
from services.hub.reporting.svg import svg_map
from spatial.access import Viewer
from spatial.language import of as language_of


def _shown(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _context(request: HttpRequest, unit, period, problems=(), typed=None) -> dict:
    viewer = Viewer.of(request.user)
    language = language_of(request)
    current = entry.report_of(unit, period)
    status = current.status if current else "new"
    typed = typed or {}
    rows = [
        {
            "code": row.indicator.code,
            "name": row.indicator.name(language),
            "unit": row.indicator.unit_en if language == "en" else row.indicator.unit_vi,
            "value": typed.get(row.indicator.code, _shown(row.value)),
            "previous": _shown(row.previous),
            "target": _shown(row.target),
            "target_label": row.target_label,
            "jump": _shown(row.indicator.jump_factor),
            "low": _shown(row.indicator.valid_range[0]),
            "high": _shown(row.indicator.valid_range[1]),
        }
        for row in entry.rows(unit, period)
    ]
    return {
        "en": language == "en",
        "unit": unit.as_json(language),
        "period": period.label,
        "rows": rows,
        "status": status,
        "status_name": entry.STATUS_NAMES[status][language == "en"],
        "editable": status in ("new", *entry.EDITABLE) and entry.may_enter(viewer, unit),
        "approver": entry.may_approve(viewer) and status == "submitted",
        "history": [
            {
                **step,
                "when": datetime.fromisoformat(step["at"]).strftime("%d/%m/%Y %H:%M"),
                "state_name": entry.STATUS_NAMES.get(step["state"], (step["state"],) * 2)[language == "en"],
            }
            for step in entry.history(current)
        ],
        "problems": [p.message(language) for p in problems],
    }


@require_http_methods(["GET", "POST"])
def form(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    """GET: the form; POST `action` save | submit (the unit's staff), approve | return (leaders), upload
    (the filled XLSX, field `file`): 303 back to the form, 400 with the problems named, 403."""
    found, asked = views.unit_and_period(unit, period)
    viewer = Viewer.of(request.user)
    entry.check_may_read(viewer, found)
    if request.method == "GET":
        return render(request, "hub/entry.html", _context(request, found, asked))
    action = request.POST.get("action", "save")
    typed = {
        key.removeprefix("value-"): value for key, value in request.POST.items() if key.startswith("value-")
    }
    confirm = request.POST.get("confirm") == "1"
    try:
        if action == "upload":
            entry.check_may_enter(viewer, found)
            views.upload(request, found, asked)
        else:
            where = {code: (raw, f"value-{code}") for code, raw in typed.items()}
            entry.act(
                found,
                asked,
                action,
                viewer=viewer,
                by=request.user,
                typed=where,
                confirm=confirm,
                comment=request.POST.get("comment", ""),
            )
    except EntryRefused as refused:
        return render(
            request, "hub/entry.html", _context(request, found, asked, refused.problems, typed), status=400
        )
    suffix = "?lang=en" if language_of(request) == "en" else ""
    return HttpResponseRedirect(request.path + suffix, status=303)


@require_GET
def completeness_page(request: HttpRequest) -> HttpResponse:
    """Who has reported an indicator's period (or a data set's): a table, missing first, and a map of the
    areas; the same parameters as GET /api/hub/completeness."""
    views.signed_in(request)
    found, language = views.asked(request), language_of(request)
    order = {"missing": 0, "late": 1, "on_time": 2}
    table = [
        {
            **row.as_json(language),
            "entry": f"/chi-tieu/nhap/{row.unit.code}/{found.period.label}/",
            "sent": timezone.localtime(row.reported_at).strftime("%d/%m/%Y %H:%M") if row.reported_at else "",
        }
        for row in sorted(found.rows, key=lambda r: (order[r.state], r.unit.code))
    ]
    query = request.GET.copy()
    query["lang"] = "vi" if language == "en" else "en"
    return render(
        request,
        "hub/completeness.html",
        {
            "en": language == "en",
            "title": found.title(language),
            "period": found.period.label,
            "due": found.due,
            "counts": counts(found.rows),
            "rows": table,
            "map": svg_map(found.rows),
            "states": [(state, names[language == "en"]) for state, names in STATE_NAMES.items()],
            "other_language": query.urlencode(),
        },
    )


urlpatterns = [
    path("chi-tieu/nhap/<str:unit>/<str:period>/", form, name="hub-entry-page"),
    path("chi-tieu/ty-le-bao-cao/", completeness_page, name="hub-completeness-page"),
]
