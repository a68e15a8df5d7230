"""The shapes of the requests that change directives, read into what the directives app takes: the issue
form (JSON) and a move's text and photos (JSON, or multipart/form-data with `photos` files). Each refusal
names the field, in Vietnamese / English."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.gis.geos import Point
from django.http import HttpRequest
from django.utils.dateparse import parse_date, parse_datetime

from directives.errors import DirectiveRefused
from directives.evidence import Evidence, check_count
from directives.issuing import Order
from directives.vocabularies import DirectiveMove
from spatial.params import LOCAL_TZ, json_object, text_problem
from spatial.photos import MAX_PHOTO_BYTES, clean_photo


def json_body(request: HttpRequest) -> dict:
    """The request's JSON object (400 naming `body` otherwise)."""
    return json_object(request.body)


def _text(body: dict, name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or (problem := text_problem(value)):
        raise DirectiveRefused(f"{name}: phải là chuỗi văn bản / must be text"
                               + (f" ({problem})" if isinstance(value, str) else ""))
    return value


def _id(body: dict, name: str, vi: str) -> int | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise DirectiveRefused(f"{name}: {value!r} không phải mã {vi} / is not an id (a whole number)")
    return value


def _units(body: dict) -> tuple[int, ...]:
    units = body.get("units")
    if not isinstance(units, list) or not all(isinstance(u, int) and not isinstance(u, bool) for u in units):
        raise DirectiveRefused("units: gửi danh sách mã đơn vị / send a list of unit ids, e.g. [12, 15]")
    return tuple(units)


def due_at(text: object) -> datetime:
    """A deadline: an RFC 3339 date-time (local time without an offset), or a date = the end of that day."""
    if not isinstance(text, str) or not text:
        raise DirectiveRefused("due_at: hãy chọn hạn hoàn thành / give the deadline, "
                               "e.g. 2026-12-10T17:00:00+07:00")
    try:
        day = parse_date(text) if "T" not in text.upper() else None
        moment = datetime.combine(day, time(23, 59, 59)) if day else parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise DirectiveRefused(f"due_at: {text!r} không phải ngày giờ / is not a date or date-time "
                               "(RFC 3339, e.g. 2026-12-10T17:00:00+07:00 or 2026-12-10)")
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def _point(body: dict) -> Point | None:
    lon, lat = body.get("lon"), body.get("lat")
    if lon is None and lat is None:
        return None
    for name, value, bound in (("lon", lon, 180), ("lat", lat, 90)):
        if not isinstance(value, int | float) or isinstance(value, bool) or not -bound <= value <= bound:
            raise DirectiveRefused(f"{name}: hãy chọn vị trí trên bản đồ / give {name} in degrees (WGS 84)")
    return Point(float(lon), float(lat), srid=4326)


def order(body: dict) -> Order:
    """The issue form: {"units": [ids], "title", "text", "due_at", "priority", "lon", "lat", "incident",
    "report", "alert"} (the last six optional)."""
    return Order(units=_units(body), title=_text(body, "title"), text=_text(body, "text"),
                 due_at=due_at(body.get("due_at")), priority=_text(body, "priority") or "normal",
                 point=_point(body), incident=_id(body, "incident", "sự cố"),
                 report=_id(body, "report", "phản ánh"), alert=_id(body, "alert", "cảnh báo"))


def step(request: HttpRequest, move: DirectiveMove) -> tuple[str, list[Evidence]]:
    """A move's text (its `note` or `reason`) and photos: multipart/form-data (`photos` files, each
    re-encoded as citizens' photos are: no EXIF or GPS tags), or JSON."""
    if request.content_type == "multipart/form-data":
        files = request.FILES.getlist("photos")
        too_big = [f.name for f in files if f.size > MAX_PHOTO_BYTES]
        if too_big:
            raise DirectiveRefused(f"photos: {too_big[0]} lớn hơn 5 MB / is larger than 5 MB")
        check_count(files)
        photos = [Evidence(*clean_photo(upload.name, upload.read(), "photos", DirectiveRefused))
                  for upload in files]
        return request.POST.get(move.note, ""), photos
    return _text(json_body(request), move.note), []
