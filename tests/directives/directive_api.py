"""Requests to /api/directives/ as the demo accounts, and small files to send with them."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

from django.utils import timezone
from PIL import Image

API = "/api/directives/"
LEADER, STAFF, OPERATOR = "lanhdao", "xuly.namcuong", "vanhanh"  # demo accounts (spatial.demo_accounts)
STAFF_UNIT, OTHER_UNIT = "UBND Nam Cường", "UBND Yên Bái"


def jpeg(color: str = "red", size: tuple[int, int] = (64, 48)) -> io.BytesIO:
    """A small JPEG file to upload as evidence."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    out.seek(0)
    out.name = f"{color}.jpg"
    return out


def in_days(days: float) -> datetime:
    """A moment `days` from now (the same clock the server reads)."""
    return timezone.now() + timedelta(days=days)


def issue(client, as_user, user: str = LEADER, **body):
    """POST /api/directives/ with a JSON body (defaults: a title, a text and a deadline in 3 days)."""
    document = {"title": "Khắc phục điểm ngập úng", "text": "Kiểm tra, khơi thông cống thoát nước.",
                "due_at": in_days(3).isoformat(), **body}
    return client.post(API, json.dumps(document), content_type="application/json", **as_user(user))


def move(client, as_user, directive_id: int, name: str, user: str = STAFF, photos: tuple = (), **fields):
    """POST /api/directives/<id>/<name>: multipart when photos are sent, else JSON."""
    url = f"{API}{directive_id}/{name}"
    if photos:
        return client.post(url, {**fields, "photos": list(photos)}, **as_user(user))
    return client.post(url, json.dumps(fields), content_type="application/json", **as_user(user))


def get(client, as_user, path: str = "", user: str = LEADER, **params):
    return client.get(f"{API}{path}", params, **as_user(user))
