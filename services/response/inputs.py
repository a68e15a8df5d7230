"""Reading what a request sends: a JSON object's members and the query string, each refused (400) with
a message that starts with its name, in Vietnamese / English."""

from __future__ import annotations

import math

from django.http import HttpRequest, QueryDict

from response.errors import ResponseRefused
from response.resources import RESOURCE_KINDS, ResourceKind
from spatial.params import json_object, whole_number

DEFAULT_LIMIT, MOST_RESOURCES = 5, 50
DEFAULT_ROWS, MOST_ROWS = 50, 500


def json_body(request: HttpRequest) -> dict:
    """The request's JSON object (an empty body: {})."""
    return json_object(request.body)


def number(body: dict, name: str, default: float | None = None) -> float:
    """A finite number (absent or null: `default`, when there is one)."""
    value = body.get(name)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ResponseRefused(f"{name}: {value!r} không phải số / is not a number")
    return float(value)


def identifier(body: dict, name: str, what: str) -> int | None:
    """A positive whole number (an id) or None when absent."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ResponseRefused(f"{name}: {value!r} không phải mã số {what} / is not the id of {what}")
    return value


def text(body: dict, name: str, default: str = "") -> str:
    """A text (absent or null: `default`)."""
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ResponseRefused(f"{name}: {value!r} phải là văn bản / must be text")
    return value


def indexes(body: dict, name: str) -> list[int]:
    """A list of whole numbers (absent: [])."""
    value = body.get(name, [])
    if not isinstance(value, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in value):
        raise ResponseRefused(f"{name}: gửi danh sách số thứ tự mục đã kiểm, ví dụ [0, 2] / give the indexes "
                              "of the checklist items ticked, e.g. [0, 2]")
    return value


def whole(args: QueryDict, name: str, default: int, most: int, least: int = 1) -> int:
    """A whole number of the query string from `least` to `most` (absent: `default`)."""
    text_value = args.get(name, "")
    if text_value == "":
        return default
    value = whole_number(text_value)
    if value is None or not least <= value <= most:
        raise ResponseRefused(f"{name}: {text_value!r} phải là số nguyên từ {least} đến {most} / must be a "
                              f"whole number from {least} to {most}")
    return value


def resource_kind(args: QueryDict) -> ResourceKind:
    """The kind of resource asked for (response.resources)."""
    code = args.get("kind", "")
    if code not in RESOURCE_KINDS:
        raise ResponseRefused(f"kind: {code!r} phải là một trong / must be one of "
                              f"{', '.join(RESOURCE_KINDS)}")
    return RESOURCE_KINDS[code]
