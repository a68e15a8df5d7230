"""Parsing request parameters shared by OGC API, tiles and the platform's JSON APIs: datetime intervals,
bboxes, whole numbers, code lists, JSON bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_date, parse_datetime

from spatial.errors import BadRequest

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN = {"", ".."}
_WHOLE = re.compile(r"[0-9]{1,18}")  # ASCII digits only ('²'.isdigit() is True), below 2**63


def whole_number(text: object) -> int | None:
    """The value of an id, cursor or count written in ASCII digits, else None."""
    return int(text) if isinstance(text, str) and _WHOLE.fullmatch(text) else None


def text_problem(value: object) -> str | None:
    """Why a text cannot be stored (PostgreSQL refuses NUL; a lone surrogate is no UTF-8), or None."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return "contains a NUL character (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone UTF-16 surrogate (not valid Unicode text)"
    return None


def _moment(text: str, end: bool) -> datetime | None:
    if text in OPEN:
        return None
    day = parse_date(text) if "T" not in text.upper() else None  # a bare date is the whole day
    if day is not None:
        moment = datetime.combine(day, time.max if end else time.min)
    else:
        moment = parse_datetime(text)
    if moment is None:
        raise BadRequest(
            f"datetime: {text!r} is not a date or date-time; use RFC 3339, e.g. "
            "2025-07-01T08:00:00+07:00 or 2025-07-01/2025-07-31 or ../2025-07-31"
        )
    if moment.tzinfo is None:  # dates and times without an offset are local
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def datetime_interval(text: str | None) -> tuple[datetime | None, datetime | None]:
    """(start, end) of an OGC `datetime` value: an instant, or an interval with open ends '..'."""
    if text is None or text == "":
        return None, None
    try:
        if "/" in text:
            start_text, end_text = text.split("/", 1)
            if start_text in OPEN and end_text in OPEN:
                raise BadRequest("datetime: an interval needs at least one end, e.g. ../2025-07-31")
            start, end = _moment(start_text, False), _moment(end_text, True)
        else:
            start, end = _moment(text, False), _moment(text, True)
    except ValueError as exc:  # e.g. month 13
        raise BadRequest(f"datetime: {text!r} is not a valid date ({exc})") from exc
    if start and end and start > end:
        raise BadRequest(f"datetime: the interval {text!r} ends before it starts")
    return start, end


def bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """A bbox 'minx,miny,maxx,maxy' (4 numbers; 6 with heights are reduced to 2D)."""
    if not text:
        return None
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        raise BadRequest(f"bbox: {text!r} is not a list of numbers; use minx,miny,maxx,maxy") from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise BadRequest(f"bbox: {text!r} needs 4 numbers: minx,miny,maxx,maxy")
    minx, miny, maxx, maxy = numbers
    if miny > maxy:
        raise BadRequest(f"bbox: {text!r} has miny > maxy")
    return minx, miny, maxx, maxy


# -- the parameters and bodies of the platform's own JSON APIs (desk, directives, response) --------------


def json_object(body: bytes) -> dict:
    """A request body holding one JSON object (an empty body: {}); 400 naming `body` otherwise."""
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        raise BadRequest("body: gửi JSON / send a JSON object") from None
    if not isinstance(value, dict):
        raise BadRequest("body: gửi một đối tượng JSON / send a JSON object")
    return value


def listed_codes(args: Mapping[str, str], name: str, known: Sequence[str]) -> tuple[str, ...]:
    """`name=a,b,c`: codes each of which is in `known` (400 naming the parameter and the first unknown)."""
    codes = tuple(code for code in args.get(name, "").split(",") if code)
    if unknown := [code for code in codes if code not in known]:
        raise BadRequest(f"{name}: {unknown[0]!r} không có trong danh mục / is not one of {', '.join(known)}")
    return codes


def whole_parameter(args: Mapping[str, str], name: str, default: int | None,
                    most: int | None = None) -> int | None:
    """`name=N`: a whole number (from 1 to `most` when given); absent: `default`."""
    text = args.get(name, "")
    if text == "":
        return default
    value = whole_number(text)
    if value is None or (most is not None and not 1 <= value <= most):
        bounds = f" from 1 to {most}" if most else ""
        raise BadRequest(f"{name}: {text!r} phải là số nguyên / must be a whole number{bounds}")
    return value


def one_of(args: Mapping[str, str], name: str, choices: Sequence[str]) -> str:
    """`name=x` among `choices`; absent: the first."""
    value = args.get(name) or choices[0]
    if value not in choices:
        raise BadRequest(f"{name}: {value!r} phải là một trong / must be one of {', '.join(choices)}")
    return value
