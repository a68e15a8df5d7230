"""Citizen reports as Open311 service requests, read in one SQL query per answer.

Only public facts leave: the tracking code, category, public title (never the restricted description),
status, unit, dates, ward and point; the reporter (layers.CitizenReporter) is never read. `status` is
"closed" for the closed statuses of the layer's workflow and "open" otherwise; `status_notes` is the
public text of the move that led to the current status (django-fsm-log's description), `expected_datetime`
the deadline (due_at, set by the category's policy), `updated_datetime` the last move, the closing or the
receipt, whichever is latest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Polygon
from django.db.models import F, FloatField, Func, OuterRef, QuerySet, Subquery
from django_fsm_log.models import StateLog

from feedback.models import CategoryPolicy
from layers.models import CitizenReport
from layers.registry import registry
from layers.vocabularies import ADMIN_TYPE
from services.open311.catalogue import LAYER, service_name
from services.open311.errors import NotFound
from services.open311.parameters import RequestQuery

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
          "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
          "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")
DEADLINE_UNIT = {"vi": {"days": "ngày làm việc", "hours": "giờ làm việc"},
                 "en": {"days": "working days", "hours": "working hours"}}
NOTICE = {"vi": "Thời hạn xử lý: {deadline} {unit}", "en": "To be handled within {deadline} {unit}"}
COLUMNS = ("code", "status", "category", "title", "received_at", "due_at", "resolved_at", "responsible_unit",
           "unit__name", "unit__name_en", "ward__name", "ward__name_en", "ward__unit_type",
           "ward__parent__name", "ward__parent__name_en")


class Coordinate(Func):
    output_field = FloatField()


def w3c(moment: datetime | None) -> str | None:
    """A W3C datetime in Vietnam's offset, e.g. 2026-01-05T08:15:30+07:00."""
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if moment else None


def _annotated() -> QuerySet:
    """The reports with their last move, coordinates and category policy, as value rows."""
    meta = CitizenReport._meta
    moves = StateLog.objects.filter(content_type__app_label=meta.app_label,
                                    content_type__model=meta.model_name,
                                    object_id=OuterRef("pk")).order_by("-timestamp", "-pk")
    policy = CategoryPolicy.objects.filter(category=OuterRef("category"))
    return CitizenReport.objects.annotate(
        notes=Subquery(moves.values("description")[:1]),
        moved_at=Subquery(moves.values("timestamp")[:1]),
        deadline=Subquery(policy.values("deadline")[:1]),
        deadline_unit=Subquery(policy.values("deadline_unit")[:1]),
        lat=Coordinate(F("geom"), function="ST_Y"),
        lon=Coordinate(F("geom"), function="ST_X"),
    ).values(*COLUMNS, "notes", "moved_at", "deadline", "deadline_unit", "lat", "lon")


def _filtered(query: RequestQuery) -> QuerySet:
    rows = _annotated()
    if query.ids:  # a NUL cannot be in a code (and PostgreSQL refuses it in a parameter)
        return rows.filter(code__in=[code for code in query.ids if "\x00" not in code])
    rows = rows.filter(received_at__gte=query.start, received_at__lte=query.end)
    if query.service_codes:
        rows = rows.filter(category__in=query.service_codes)
    if set(query.statuses) == {"closed"}:
        rows = rows.filter(status__in=closed_statuses())
    elif set(query.statuses) == {"open"}:
        rows = rows.exclude(status__in=closed_statuses())
    if query.bbox:
        rows = rows.filter(geom__intersects=Polygon.from_bbox(query.bbox))
    return rows


def closed_statuses() -> tuple[str, ...]:
    """The report statuses Open311 calls closed: the closed statuses of the layer's workflow."""
    return registry.get(LAYER).workflow.closed


def find(query: RequestQuery, language: str) -> list[dict[str, Any]]:
    """GET requests: the service requests matching `query`, newest first, at most its limit."""
    closed = closed_statuses()
    rows = _filtered(query).order_by("-received_at", "-pk")[:query.limit]
    return [_request(row, closed, language) for row in rows]


def get(code: str, language: str) -> list[dict[str, Any]]:
    """GET requests/{id}: a list of the one request with this tracking code; NotFound otherwise."""
    found = find(RequestQuery(ids=(code,)), language)
    if not found:
        shown = code[:60]
        raise NotFound(f"service_request_id '{shown}': không có phản ánh này",
                       f"service_request_id '{shown}': no such request")
    return found


def _request(row: dict[str, Any], closed: tuple[str, ...], language: str) -> dict[str, Any]:
    english = language == "en"
    agency = ((english and row["unit__name_en"]) or row["unit__name"] or row["responsible_unit"]) or None
    notice = None
    if row["deadline"] is not None:
        notice = NOTICE[language].format(deadline=row["deadline"],
                                         unit=DEADLINE_UNIT[language].get(row["deadline_unit"], ""))
    updated = max(moment for moment in (row["received_at"], row["resolved_at"], row["moved_at"]) if moment)
    values = (row["code"], "closed" if row["status"] in closed else "open", row["notes"] or None,
              service_name(row["category"], language), row["category"], row["title"], agency, notice,
              w3c(row["received_at"]), w3c(updated), w3c(row["due_at"]), _address(row, english), None, None,
              row["lat"], row["lon"], None)
    return dict(zip(FIELDS, values, strict=True))


def _address(row: dict[str, Any], english: bool) -> str | None:
    """The ward and the unit above it, most specific first ('Phường Đồng Tâm, Yên Bái')."""
    if row["ward__name"] is None:
        return None
    if english:
        parts = [row["ward__name_en"] or row["ward__name"],
                 row["ward__parent__name_en"] or row["ward__parent__name"]]
    else:
        kind = row["ward__unit_type"]
        ward = f"{ADMIN_TYPE[kind].vi} {row['ward__name']}" if kind in ADMIN_TYPE else row["ward__name"]
        parts = [ward, row["ward__parent__name"]]
    return ", ".join(part for part in parts if part)
