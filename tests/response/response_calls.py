"""What the incident response tests share: places, the frozen clock's start, and opening an incident
through the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from spatial.params import LOCAL_TZ

SOP_CATEGORY = "infrastructure"  # the demo's SOPs are for fire, flood, traffic accidents, public order
DONG_TAM = (104.9035, 21.689)  # a point in Đồng Tâm (the commune Yên Bái since 2025: UBND-04300)
NAM_CUONG = (104.86891, 21.70782)  # a point in Nam Cường (UBND-04303, the unit of xuly.namcuong)
START = datetime(2026, 3, 2, 8, 0, tzinfo=LOCAL_TZ)  # the frozen clock's first reading


class Clock:
    """django.utils.timezone.now, frozen where the test puts it."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment

    def advance(self, **delta: float) -> datetime:
        return self.set(self.now + timedelta(**delta))


def open_by_api(api: Callable, category: str = SOP_CATEGORY, point: tuple[float, float] = DONG_TAM,
                **more: object) -> dict:
    """POST incidents as the demo operator; the 201 answer's body."""
    answer = api("POST", "incidents", {"category": category, "lon": point[0], "lat": point[1],
                                       "title": "Cột điện đổ chắn đường", **more})
    assert answer.status_code == 201, answer.content
    return answer.json()
