"""Who may use the desk: readers of restricted report fields follow the queue (leaders included),
writers of the reports act on it; unit staff are limited to their units' reports."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from layers.models import CitizenReport
from layers.registry import Layer, registry
from spatial.access import Viewer
from spatial.errors import Forbidden, NotFound


def reports_layer() -> Layer:
    """The citizen reports' layer declaration."""
    return registry.for_model(CitizenReport)[0]


def reader(request: HttpRequest) -> Viewer:
    """The viewer, if it may follow the queue (401 anonymous, 403 without the right role)."""
    viewer = Viewer.signed_in(request.user, "để dùng bàn xử lý phản ánh", "to use the feedback desk")
    if not viewer.sees_restricted(reports_layer()):
        raise Forbidden("vai trò của bạn không xem được hàng đợi phản ánh",
                        "your roles do not include the feedback desk")
    return viewer


def handler(request: HttpRequest) -> Viewer:
    """The viewer, if it may act on reports (assign, merge, take calls); 403 otherwise."""
    viewer = reader(request)
    if not viewer.can_write(reports_layer(), "update"):
        raise Forbidden("vai trò của bạn chỉ được xem, không được xử lý phản ánh / "
                        "your roles may follow the queue, not act on it")
    return viewer


def dispatcher(request: HttpRequest) -> Viewer:
    """The viewer, if it may hand reports to units and take calls (operators, not unit staff); 403."""
    viewer = handler(request)
    if not viewer.can_move(reports_layer(), "received", hands_over=True):
        raise Forbidden("cán bộ xử lý không giao phản ánh hay nhận cuộc gọi; đó là việc của điều hành "
                        "viên / unit staff neither assign reports nor take calls: operators do")
    return viewer


def visible_reports(viewer: Viewer) -> QuerySet[CitizenReport]:
    """The reports this viewer may see at the desk: all, or its units' only."""
    return viewer.scoped(reports_layer(), reports_layer().queryset())


def visible_report(viewer: Viewer, report_id: object) -> CitizenReport:
    """One report this viewer may see (404 otherwise, as if it did not exist)."""
    report = visible_reports(viewer).filter(pk=report_id).first() if str(report_id).isdigit() else None
    if report is None:
        raise NotFound(f"không có phản ánh số {report_id} / no report {report_id}")
    return report
