"""HTTP adapters of the desk: GET reports (the queue), GET reports/<id> (a case file), GET units, and POST
assign, merge and hotline (JSON bodies; a browser sends its CSRF token)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.models import ResponsibleUnit
from services.desk import actions, queue
from services.desk.access import dispatcher, handler, reader, reports_layer, visible_report, visible_reports
from services.desk.case_file import case_file
from services.editing.csrf import csrf_checked
from spatial.params import json_object


@require_GET
def reports(request: HttpRequest) -> JsonResponse:
    """GET reports?…: the queue (filters in services.desk.queue)."""
    viewer = reader(request)
    filters = queue.read_filters(request.GET)
    return JsonResponse(queue.page(visible_reports(viewer), reports_layer(), filters))


@require_GET
def report(request: HttpRequest, report_id: str) -> JsonResponse:
    """GET reports/<id>: its case file (404 for one the viewer may not see)."""
    viewer = reader(request)
    return JsonResponse(case_file(viewer, reports_layer(), visible_report(viewer, report_id)))


@require_GET
def units(request: HttpRequest) -> JsonResponse:
    """GET units: the active units a report may be given to, and whether this viewer gives them
    (`may_assign`: operators, not unit staff or leaders)."""
    viewer = reader(request)
    active = ResponsibleUnit.objects.filter(active=True).order_by("unit_kind", "name")
    may_assign = viewer.can_write(reports_layer(), "update") and viewer.can_move(
        reports_layer(), "received", hands_over=True)
    units = [{"id": unit.pk, "code": unit.code, "name": unit.name, "name_en": unit.name_en or unit.name,
              "categories": unit.categories} for unit in active]
    return JsonResponse({"may_assign": may_assign, "units": units})


@csrf_checked
def assign(request: HttpRequest) -> JsonResponse:
    """POST assign {"ids": […], "unit": id, "note": reason}: bulk assignment."""
    return JsonResponse(actions.assign_many(dispatcher(request), reports_layer(), json_object(request.body)))


@csrf_checked
def merge(request: HttpRequest) -> JsonResponse:
    """POST merge {"id": duplicate, "into": kept}."""
    return JsonResponse(actions.merge_into(handler(request), json_object(request.body)))


@csrf_checked
def hotline(request: HttpRequest) -> JsonResponse:
    """POST hotline {category, title, description, lon, lat, full_name, phone, email}: 201 {id, code}."""
    dispatcher(request)
    report = actions.take_call(json_object(request.body))
    return JsonResponse({"id": report.pk, "code": report.code}, status=201)
