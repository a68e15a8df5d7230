"""HTTP adapters of alerts: the list and one alert (GeoJSON), acknowledging, the CAP document of an alert
and the Atom/RSS feeds. Reading needs a role that reads the alerts layer (anonymous: 401; others: 403),
except CAP documents and feeds of public rules, which anyone reads."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from alerts import announce, cap
from alerts.models import Alert
from services.alerts.features import alerts_layer, feature, may_acknowledge, selected
from services.editing.csrf import csrf_checked
from spatial.access import Viewer
from spatial.errors import Conflict, Forbidden, NotFound

CAP_TYPE = "application/cap+xml; charset=utf-8"
FEED_ITEMS = 100


def _reader(request: HttpRequest) -> Viewer:
    viewer = Viewer.signed_in(request.user, "để xem cảnh báo", "to read alerts")
    if not viewer.can_read(alerts_layer()):
        raise Forbidden("vai trò của bạn không xem được cảnh báo / your roles do not include alerts")
    return viewer


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _alert(alert_id: str, rows=None) -> Alert:
    rows = Alert.objects.select_related("rule", "ward", "acknowledged_by") if rows is None else rows
    found = rows.filter(pk=alert_id).first() if alert_id.isdigit() else None
    if found is None:
        raise NotFound(f"không có cảnh báo số {alert_id} / no alert {alert_id}")
    return found


@require_GET
def alerts(request: HttpRequest) -> JsonResponse:
    """GET /api/alerts/?status=&severity=&kind=&category=&ward=&since=&limit=: a FeatureCollection."""
    viewer = _reader(request)
    rows, limit = selected(request.GET)
    counts = {status: Alert.objects.filter(status=status).count() for status in ("open", "acknowledged")}
    features = [feature(alert, viewer, _base(request)) for alert in rows[:limit]]
    return JsonResponse({"type": "FeatureCollection", "layer": alerts_layer().id, "counts": counts,
                         "numberReturned": len(features), "features": features,
                         "may_acknowledge": may_acknowledge(viewer)})


@require_GET
def alert(request: HttpRequest, alert_id: str) -> JsonResponse:
    """GET /api/alerts/<id>: one alert as a Feature."""
    viewer = _reader(request)
    return JsonResponse(feature(_alert(alert_id), viewer, _base(request)))


@csrf_checked
def acknowledge(request: HttpRequest, alert_id: str) -> JsonResponse:
    """POST /api/alerts/<id>/acknowledge: the operator takes the alert (409 unless it is open)."""
    viewer = _reader(request)
    if not may_acknowledge(viewer):
        raise Forbidden("chỉ điều hành viên xác nhận cảnh báo / only operators acknowledge alerts")
    with transaction.atomic():
        found = _alert(alert_id, Alert.objects.select_for_update(of=("self",)).select_related("rule", "ward"))
        if found.status != "open":
            done = "xác nhận" if found.status == "acknowledged" else "kết thúc"
            raise Conflict(f"cảnh báo {found.code} đã {done} / alert {found.code} is already {found.status}")
        found.acknowledge(request.user, timezone.now())
        found.save()
        announce.acknowledged(found)
    return JsonResponse(feature(_alert(alert_id), viewer, _base(request)))


def _cap_reader(request: HttpRequest) -> bool:
    """Whether the request reads every alert's CAP (readers of the layer), or only public rules' ones."""
    viewer = Viewer.of(request.user)
    return viewer.can_read(alerts_layer())


@require_GET
def cap_document(request: HttpRequest, alert_id: str) -> HttpResponse:
    """GET /api/alerts/<id>.cap: the CAP 1.2 document (a public rule's alert: anyone; else readers)."""
    found = _alert(alert_id)
    if not found.rule.public and not _cap_reader(request):
        _reader(request)  # 401 or 403, as for the rest of the API
    return HttpResponse(cap.cap_xml(found, _base(request)), content_type=CAP_TYPE)


def _feed_alerts(request: HttpRequest) -> list[Alert]:
    rows = Alert.objects.select_related("rule", "ward").order_by("-opened_at", "-id")
    if not _cap_reader(request):
        rows = rows.filter(rule__public=True)
    return list(rows.filter(status__in=("open", "acknowledged"))[:FEED_ITEMS])


@require_GET
def atom_feed(request: HttpRequest) -> HttpResponse:
    """GET /api/alerts/cap.atom: the alerts in force, each entry carrying its CAP document."""
    body = cap.atom(_feed_alerts(request), _base(request), timezone.now())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@require_GET
def rss_feed(request: HttpRequest) -> HttpResponse:
    """GET /api/alerts/cap.rss: the same alerts as RSS 2.0 items linking to their CAP documents."""
    body = cap.rss(_feed_alerts(request), _base(request), timezone.now())
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")
