"""Public citizen endpoints (anonymous): GET /api/feedback/challenge, POST /api/feedback/reports
(multipart form: category, title, description, lon, lat, photos ×3, full_name, phone, email,
challenge, answer) and GET /api/feedback/reports/<code> (the public case: status, unit, timeline of
public steps and answers; never the reporter's details or who in the office acted).

The filing form is CSRF-exempt like any public form API: it changes nothing of anyone's, carries no
credentials, and is held back by the challenge and the per-address hourly limit instead.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_fsm_log.models import StateLog

from feedback.intake import Photo, file_report
from layers.models import CitizenReport
from layers.vocabularies import REPORT_CATEGORY, REPORT_STATUS
from services.citizen.challenge import new_challenge, passed
from spatial.client_address import client_address
from spatial.errors import BadRequest, NotFound

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
    return JsonResponse({"code": report.code, "case_url": f"{CASE_PAGE}{report.code}"}, status=201)


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
        "photos": [photo.image.url for photo in report.photos.all()],
        "timeline": _timeline(report),
    })
