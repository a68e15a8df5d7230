"""The demo city's alert rules, and the episodes its data are given for them, loaded with the demo.

`load(until)` runs once the layers and observations are in (`ioc load_demo`, at the demo's end): it
writes three episodes into the demo's own data — an AQI episode at the southern industrial park's air
station in the last three hours, a series of five traffic accidents within 300 m at a busy crossing in
the last day, and the camera that saw the most lately going dark for the last 13 hours — declares the
demo's rules (the kinds of alerts.AlertRule, by the demo's loader, version 1) and a subscription of the
operators, then evaluates every rule at the demo's end, quietly (nothing is sent for a demo's past), so
that the wall starts with a few open alerts. The same (seed, day) gives the same episodes.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from django.contrib.gis.geos import Point
from django.db import transaction

from alerts.evaluate import evaluate_all
from alerts.models import Alert, AlertRule, Subscription
from layers.communes import communes_at
from layers.models import Camera, Detection, EnvStation, Incident, Observation
from spatial.roles import OPERATOR

AQI_STATION = "ENV-03"  # the southern industrial park
AQI_EPISODE = (158.0, 171.0, 183.0)  # the last three hourly readings before the demo's end
CLUSTER_STEP_M = 60  # the accidents lie along the street, this far apart
SILENT_HOURS = 13  # the silent camera's last detection is older than this at the demo's end
RULES = (
    {"code": "aqi-150-2h", "name": "Không khí xấu: AQI trên 150 trong 2 giờ",
     "name_en": "Poor air: AQI above 150 for 2 hours", "kind": "threshold", "layer": "env_stations",
     "metric": "aqi", "comparison": "gt", "threshold": 150, "readings": 2, "window_minutes": 180,
     "severity": "Severe", "urgency": "Immediate", "certainty": "Observed", "category": "Env", "public": True,
     "cooldown_minutes": 180, "instruction": "Hạn chế ra ngoài, đeo khẩu trang khi ra đường.",
     "instruction_en": "Limit time outdoors; wear a mask outside."},
    {"code": "accidents-500m-24h", "name": "Nhiều tai nạn giao thông gần nhau",
     "name_en": "Several traffic accidents close together", "kind": "count", "layer": "incidents",
     "filters": {"category": "traffic_accident"}, "min_count": 5, "grouping": "radius", "radius_m": 500,
     "window_minutes": 24 * 60, "severity": "Moderate", "urgency": "Expected", "category": "Transport",
     "incident_category": "traffic_accident", "public": True,
     "instruction": "Điều tiết giao thông, kiểm tra biển báo tại khu vực.",
     "instruction_en": "Direct the traffic and check the signs in the area."},
    {"code": "camera-silent-12h", "name": "Camera không có dữ liệu 12 giờ",
     "name_en": "Camera without data for 12 hours", "kind": "silence", "layer": "cameras",
     "source_layer": "detections", "filters": {"status": "online"}, "silence_minutes": 12 * 60,
     "severity": "Minor", "urgency": "Expected", "category": "Infra", "cooldown_minutes": 24 * 60,
     "instruction": "Kiểm tra đường truyền và nguồn điện của camera.",
     "instruction_en": "Check the camera's link and power."},
    {"code": "air-station-silent-3h", "name": "Trạm quan trắc không khí mất dữ liệu",
     "name_en": "Air station without data", "kind": "silence", "layer": "env_stations", "metric": "aqi",
     "filters": {"station_type": "air"}, "silence_minutes": 180, "severity": "Minor", "category": "Env"},
    {"code": "zone-intrusion", "name": "Xâm nhập vùng cấm (camera AI)",
     "name_en": "Restricted-zone intrusion (camera AI)", "kind": "zone", "layer": "incidents",
     "filters": {"category": "intrusion", "source": "camera_ai", "status": ["new", "dispatched"]},
     "window_minutes": 60, "severity": "Severe", "urgency": "Immediate", "category": "Security",
     "incident_category": "intrusion", "opens_incident": True},  # the camera's incident gets its response
    {"code": "crowd-50m-15min", "name": "Đám đông trước camera", "name_en": "Crowd in front of a camera",
     "kind": "count", "layer": "detections", "filters": {"object_class": "person"}, "min_count": 40,
     "radius_m": 50, "window_minutes": 15, "severity": "Moderate", "category": "Safety"},
)


def _hours_before(until: datetime, count: int) -> list[datetime]:
    last = until.replace(minute=0, second=0, microsecond=0)
    last = last if last < until else last - timedelta(hours=1)
    return [last - timedelta(hours=n) for n in reversed(range(count))]


def aqi_episode(until: datetime) -> int:
    """The last readings of the AQI station rise over 150 (PM2.5 with them, VN_AQI 150–200 ↔ 80–150 µg/m³)."""
    station = EnvStation.objects.get(code=AQI_STATION)
    changed = 0
    for at, aqi in zip(_hours_before(until, len(AQI_EPISODE)), AQI_EPISODE, strict=True):
        for metric, value in (("aqi", aqi), ("pm25", round(80 + (aqi - 150) * 70 / 50, 1))):
            changed += Observation.objects.filter(layer="env_stations", feature_id=station.pk, metric=metric,
                                                  observed_at=at).update(value=value)
    return changed


def accident_series(until: datetime) -> list[int]:
    """Five traffic accidents along the street at the demo's first camera's crossing, in the last day."""
    camera = Camera.objects.order_by("code").first()
    lon, lat = camera.geom.x, camera.geom.y
    degrees = CLUSTER_STEP_M / (111_320 * math.cos(math.radians(lat)))
    made = []
    for n in range(5):
        at = until - timedelta(hours=20 - 4 * n, minutes=7 * n)
        place = Point(lon + (n - 2) * degrees, lat, srid=4326)
        [ward] = communes_at([place.ewkt], [at.date()])
        made.append(Incident.objects.create(
            code=f"INC-{at:%Y%m%d}-9{n:02d}", category="traffic_accident", severity=("medium", "high")[n % 2],
            status="dispatched", title=f"Va chạm liên hoàn gần {camera.name.removeprefix('Camera ').lower()}",
            source="hotline_113", reported_at=at, geom=place, ward_id=ward).pk)
    return made


def silent_camera(until: datetime) -> str | None:
    """The online camera that detected last before the demo's end loses its last 13 hours of detections."""
    latest = (Detection.objects.filter(observed_at__lt=until, camera__status="online")
              .order_by("-observed_at").select_related("camera").first())
    if latest is None:
        return None
    Detection.objects.filter(camera=latest.camera, observed_at__gte=until - timedelta(hours=SILENT_HOURS),
                             observed_at__lt=until).delete()
    return latest.camera.code


def rules() -> list[AlertRule]:
    """The demo's rules, declared as an administrator would (each checked, version 1)."""
    made = []
    for fields in RULES:
        rule = AlertRule(**fields)
        rule.full_clean()
        rule.save()
        made.append(rule)
    Subscription.objects.get_or_create(name="Trực ban điều hành / operators on duty", defaults={
        "role": OPERATOR.code, "min_severity": "Moderate", "quiet_from": time(22), "quiet_to": time(6),
        "quiet_below": "Severe"})
    return made


def load(until: datetime) -> int:
    """Episodes, rules and their evaluation at the demo's end `until`; the number of open alerts."""
    with transaction.atomic():
        aqi_episode(until)
        accident_series(until)
        silent_camera(until)
        rules()
    evaluate_all(until, quiet=True)
    return Alert.objects.filter(status="open").count()
