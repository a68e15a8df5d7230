"""The parameters of GET requests: parsed and checked into a RequestQuery, or a BadParameter naming them.

The specification's rules: `service_request_id` (comma-separated) overrides every other argument;
`start_date`/`end_date` are W3C datetimes that may not span more than 90 days, the most recent 90 days
when neither is given (only a start: the 90 days that follow it; only an end: the 90 days before it);
at most 1,000 requests; an empty parameter is the same as an absent one. `bbox` (minimum longitude,
minimum latitude, maximum longitude, maximum latitude, WGS84) is our extension.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation.trans_real import parse_accept_lang_header

from services.open311.errors import BadParameter

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_SPAN = timedelta(days=90)
MAX_REQUESTS = 1000
LANGUAGES = ("vi", "en")
STATUSES = ("open", "closed")
YEARS = range(1970, 3000)  # beyond these a date is a mistake (and year 9999 + 90 days overflows)
# The W3C profile of ISO 8601 (www.w3.org/TR/NOTE-datetime): a day, or a day and a time with an offset
# (without one the time is local, as our users write it).
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?)?")


@dataclass(frozen=True)
class RequestQuery:
    """What GET requests asks for: either `ids`, or a window with optional filters."""

    ids: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    limit: int = MAX_REQUESTS


def language(params: Mapping[str, str], accept_language: str) -> str:
    """'en' when `lang=en`, or when the Accept-Language header prefers English to Vietnamese; else 'vi'."""
    asked = params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return "vi"


def listed(params: Mapping[str, str], name: str) -> tuple[str, ...]:
    """The comma-separated values of a parameter, blanks dropped, in order, each once."""
    values = (part.strip() for part in params.get(name, "").split(","))
    return tuple(dict.fromkeys(value for value in values if value))


def w3c_datetime(params: Mapping[str, str], name: str) -> datetime | None:
    """A W3C datetime parameter as an aware datetime (a day is its local midnight), or None if absent."""
    text = params.get(name, "").strip()
    if not text:
        return None
    moment = None
    if W3C_DATETIME.fullmatch(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:  # e.g. 2026-02-30, 25:00, an offset of 25 hours
            moment = None
    if moment is None:
        raise BadParameter(f"{name}: '{text[:40]}' không phải ngày giờ W3C, ví dụ 2026-01-01T00:00:00+07:00",
                           f"{name}: '{text[:40]}' is not a W3C datetime, e.g. 2026-01-01T00:00:00+07:00")
    if moment.year not in YEARS:
        raise BadParameter(f"{name}: năm {moment.year} nằm ngoài khoảng {YEARS.start}–{YEARS.stop - 1}",
                           f"{name}: the year {moment.year} is outside {YEARS.start}–{YEARS.stop - 1}")
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def date_window(params: Mapping[str, str], now: datetime) -> tuple[datetime, datetime]:
    """[start, end] of the requested datetimes, both included, at most 90 days apart."""
    start, end = w3c_datetime(params, "start_date"), w3c_datetime(params, "end_date")
    if start is None and end is None:
        return now - MAX_SPAN, now
    if end is None:
        return start, start + MAX_SPAN
    if start is None:
        return end - MAX_SPAN, end
    if end < start:
        raise BadParameter("start_date, end_date: end_date trước start_date",
                           "start_date, end_date: end_date is before start_date")
    if end - start > MAX_SPAN:
        raise BadParameter("start_date, end_date: khoảng thời gian không được quá 90 ngày",
                           "start_date, end_date: the range may not span more than 90 days")
    return start, end


def bounding_box(params: Mapping[str, str]) -> tuple[float, float, float, float] | None:
    """The bbox extension: four WGS84 degrees, west ≤ east and south ≤ north, or None if absent."""
    text = params.get("bbox", "").strip()
    if not text:
        return None
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []
    usable = len(numbers) == 4 and all(math.isfinite(n) for n in numbers)
    if usable:
        west, south, east, north = numbers
        usable = -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    if not usable:
        raise BadParameter("bbox: cần 4 số theo độ WGS84: kinh độ tây, vĩ độ nam, kinh độ đông, vĩ độ bắc",
                           "bbox: needs 4 WGS84 degrees: west longitude, south latitude, east longitude, "
                           "north latitude")
    return west, south, east, north


def request_query(params: Mapping[str, str], services: Collection[str], now: datetime | None = None
                  ) -> RequestQuery:
    """The RequestQuery of GET requests' parameters; `services` are the known service codes."""
    ids = listed(params, "service_request_id")
    if len(ids) > MAX_REQUESTS:
        raise BadParameter(f"service_request_id: tối đa {MAX_REQUESTS} mã mỗi lần",
                           f"service_request_id: at most {MAX_REQUESTS} ids at a time")
    if ids:
        return RequestQuery(ids=ids)
    codes, statuses = listed(params, "service_code"), listed(params, "status")
    for name, values, known in (("service_code", codes, services), ("status", statuses, STATUSES)):
        unknown = [value for value in values if value not in known]
        if unknown:
            shown = ", ".join(f"'{value[:40]}'" for value in unknown[:5])
            raise BadParameter(f"{name}: không có {shown}; dùng {', '.join(known)}",
                               f"{name}: no {shown} here; use {', '.join(known)}")
    start, end = date_window(params, now or timezone.now())
    return RequestQuery(start=start, end=end, service_codes=codes, statuses=statuses,
                        bbox=bounding_box(params))
