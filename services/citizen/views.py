"""Public citizen endpoints (anonymous): GET /api/feedback/challenge, POST /api/feedback/reports
(multipart form: category, title, description, lon, lat, photos ×3, full_name, phone, email,
challenge, answer; the answer holds the tracking code and the citizen's key, shown once), GET
/api/feedback/reports/<code> (the public case: status, unit, timeline of public steps and answers;
never the reporter's details or who in the office acted), and with that key POST …/<code>/rating
(1–5 stars on the answer, once) and POST …/<code>/reopen (within the category's reopen days).

The filing form is CSRF-exempt like any public form API: it changes nothing of anyone's, carries no
credentials, and is held back by the challenge and the per-address hourly limit instead.
"""

from __future__ import annotations

import hmac

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from feedback.intake import Photo, file_report, key_digest
from layers.models import CitizenReport
from layers.vocabularies import REPORT_CATEGORY, REPORT_STATUS
from services.citizen.challenge import new_challenge, passed
from services.citizen.photos import photo_addresses
from spatial.client_address import client_address
from spatial.errors import BadRequest, Conflict, Forbidden, NotFound
from spatial.params import whole_number

CASE_PAGE = "/phan-anh/"


@require_GET
def challenge(request: HttpRequest) -> JsonResponse:
    """A check question for the filing form."""
    return JsonResponse(new_challenge())


def _number(form: dict, name: str) -> float:
    try:
        return float(form.get(name, ""))
    except ValueError:
        raise BadRequest(f"{name}: {form.get(name)!r} không phải số / is not a number") from None


@csrf_exempt
@require_POST
def file(request: HttpRequest) -> JsonResponse:
    """File a report: 201 with its tracking code and case page; 400 naming the field; 429 past the limit."""
    form = request.POST
    if not form.get("challenge"):
        raise BadRequest("challenge: hãy trả lời câu hỏi kiểm tra / answer the check question first")
    if not passed(form["challenge"], form.get("answer", "")):
        raise BadRequest("answer: câu trả lời kiểm tra chưa đúng / the check answer is wrong")
    photos = [Photo(upload.name, upload.read()) for upload in request.FILES.getlist("photos")]
    report = file_report(
        category=form.get("category", ""), title=form.get("title", ""),
        description=form.get("description", ""),
        lon=_number(form, "lon"), lat=_number(form, "lat"), photos=photos, channel="web",
        contact={key: form.get(key, "") for key in ("full_name", "phone", "email")},
        address=client_address(request) or "")
    return JsonResponse({"code": report.code, "case_url": f"{CASE_PAGE}{report.code}",
                         "key": report.citizen_key}, status=201)


def _own_report(code: str, key: str) -> CitizenReport:
    """The report `code` if `key` is the one given to its citizen at filing (403 otherwise)."""
    report = CitizenReport.objects.filter(code=code).first()
    if report is None:
        raise NotFound(f"không có phản ánh mã {code!r} / no report with code {code!r}")
    if not report.citizen_key_digest or not hmac.compare_digest(report.citizen_key_digest, key_digest(key)):
        raise Forbidden("key: mã bí mật không đúng / the key given at filing is needed")
    return report


@csrf_exempt
@require_POST
def rate(request: HttpRequest, code: str) -> JsonResponse:
    """The citizen rates the answer of a resolved report, once: stars 1–5 (409 if already rated)."""
    report = _own_report(code, request.POST.get("key", ""))
    stars = whole_number(request.POST.get("stars", "").strip())
    if stars is None or not 1 <= stars <= 5:
        raise BadRequest("stars: chọn từ 1 đến 5 sao / give 1 to 5 stars")
    if report.status != "resolved":
        raise Conflict(f"status: phản ánh chưa được giải quyết / the report is {report.status}, not resolved")
    if not CitizenReport.objects.filter(pk=report.pk, rating__isnull=True).update(rating=stars):
        raise Conflict("rating: phản ánh đã được đánh giá / the report is already rated")
    return JsonResponse({"code": code, "rating": stars})


@csrf_exempt
@require_POST
def reopen(request: HttpRequest, code: str) -> JsonResponse:
    """The citizen reopens a resolved report within its category's reopen days (409 outside them)."""
    report = _own_report(code, request.POST.get("key", ""))
    try:
        report.reopen(by=None)
    except TransitionNotAllowed as refused:
        raise Conflict(f"status: {refused}") from None
    report.save()
    return JsonResponse({"code": code, "status": report.status})


def _timeline(report: CitizenReport) -> list[dict]:
    steps = [{"at": timezone.localtime(report.received_at).isoformat(), "status": "received", "text": ""}]
    for log in StateLog.objects.for_(report).order_by("timestamp", "pk"):
        steps.append({"at": timezone.localtime(log.timestamp).isoformat(), "status": log.state,
                      "text": log.description or ""})
    return steps


@require_GET
def case(request: HttpRequest, code: str) -> JsonResponse:
    """The public case of a report by its tracking code (404 for an unknown one)."""
    report = CitizenReport.objects.select_related("unit").filter(code=code).first()
    if report is None:
        raise NotFound(f"không có phản ánh mã {code!r} / no report with code {code!r}")
    status, category = REPORT_STATUS[report.status], REPORT_CATEGORY[report.category]
    return JsonResponse({
        "code": report.code, "title": report.title,
        "category": {"code": category.code, "vi": category.vi, "en": category.en},
        "status": report.status, "status_vi": status.vi, "status_en": status.en,
        "unit": report.unit.name if report.unit else report.responsible_unit,
        "received_at": timezone.localtime(report.received_at).isoformat(),
        "due_at": timezone.localtime(report.due_at).isoformat() if report.due_at else None,
        "resolved_at": timezone.localtime(report.resolved_at).isoformat() if report.resolved_at else None,
        "location": {"lon": report.geom.x, "lat": report.geom.y},
        "photos": photo_addresses(report),
        "timeline": _timeline(report),
    })
