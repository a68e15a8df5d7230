"""What the alert tests share: an injected clock far after the demo's data (2031), a place in a demo ward,
and incidents made there."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2031, 3, 3, 8, 0, tzinfo=VN)  # a Monday; no demo data reaches it
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
PLACE = (104.8935, 21.7045)  # in the demo city, inside a ward in force


def incident(code: str, at: datetime, lon: float, lat: float, category: str = "traffic_accident", **fields):
    """A security incident at (lon, lat) reported at `at`."""
    from layers.models import Incident

    return Incident.objects.create(code=code, category=category, severity=fields.pop("severity", "medium"),
                                   title=fields.pop("title", f"Sự cố {code}"), reported_at=at,
                                   geom=Point(lon, lat, srid=4326), **fields)


def metres_east(metres: float) -> float:
    """Degrees of longitude for `metres` at the demo city's latitude."""
    return metres / 103_500.0
