"""Zone events → incidents (the incidents layer): at most one open incident per (camera, zone).

The first intrusion (or too-long dwell) in a zone opens an incident with a link to the evidence
frame; later ones attach to it while it is open; it closes when the zone has been empty for a while.
All of it runs inside the writer's transaction, so a replayed batch changes nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from psycopg import Cursor

from vision.classes import label

SOURCE = "camera_ai"
CATEGORY = {"intrusion": "intrusion", "dwell": "public_order"}
TITLE = {
    "intrusion": "Xâm nhập vùng cấm “{zone}”: {what} (camera {camera})",
    "dwell": "Dừng quá lâu trong vùng “{zone}”: {what} (camera {camera})",
}


@dataclass(frozen=True)
class ZoneAlert:
    """A new intrusion or dwell event, as the writer got it back from the database."""

    camera_id: int
    camera_code: str
    rule: str
    kind: str  # intrusion | dwell
    object_class: str
    observed_at: datetime
    lon: float
    lat: float
    evidence: str  # path under MEDIA_ROOT, "" if none


def incident_code(alert: ZoneAlert) -> str:
    """A unique, repeatable code: camera, time to the second, and the zone."""
    zone = zlib.crc32(alert.rule.encode()) % 1000
    return f"AI-{alert.camera_id}-{alert.observed_at:%y%m%d%H%M%S}-{zone:03d}"


def evidence_url(path: str) -> str:
    """The link to an evidence file (a path under MEDIA_ROOT) as served under MEDIA_URL."""
    return f"/{settings.MEDIA_URL.strip('/')}/{path}" if path else ""


def raise_alert(cursor: Cursor, alert: ZoneAlert) -> int:
    """Attach the alert to the zone's open incident, or open one; returns the incident id."""
    cursor.execute(
        "UPDATE vision_zone_incident SET last_seen_at = greatest(last_seen_at, %s), tracks = tracks + 1 "
        "WHERE camera_id = %s AND rule = %s AND closed_at IS NULL RETURNING incident_id",
        (alert.observed_at, alert.camera_id, alert.rule),
    )
    if found := cursor.fetchone():
        return found[0]
    title = TITLE[alert.kind].format(
        zone=alert.rule, what=label(alert.object_class), camera=alert.camera_code
    )
    link = evidence_url(alert.evidence)
    cursor.execute(
        "INSERT INTO layers_incident (code, category, severity, status, title, description, source, "
        "camera_id, "
        "reported_at, geom, ward_id) "
        "SELECT %(code)s, %(category)s, 'medium', 'new', %(title)s, %(description)s, %(source)s, %(camera)s, "
        "%(at)s, p.geom, (SELECT a.id FROM layers_adminunit a "
        "WHERE a.level = 'commune' AND a.valid_to IS NULL "
        "AND ST_Intersects(a.geom, p.geom) LIMIT 1) "
        "FROM (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS geom) p RETURNING id",
        {
            "code": incident_code(alert),
            "category": CATEGORY[alert.kind],
            "title": title[:300],
            "description": f"Ảnh bằng chứng / evidence: {link}" if link else "",
            "source": SOURCE,
            "camera": alert.camera_id,
            "at": alert.observed_at,
            "lon": alert.lon,
            "lat": alert.lat,
        },
    )
    incident_id = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO vision_zone_incident "
        "(incident_id, camera_id, rule, opened_at, last_seen_at, tracks, evidence) "
        "VALUES (%s, %s, %s, %s, %s, 1, %s)",
        (incident_id, alert.camera_id, alert.rule, alert.observed_at, alert.observed_at, alert.evidence),
    )
    return incident_id


def close_zone(cursor: Cursor, camera_id: int, rule: str, at: datetime) -> None:
    """The zone has been empty long enough: its open incident (if any) stops collecting alerts."""
    cursor.execute(
        "UPDATE vision_zone_incident SET closed_at = %s "
        "WHERE camera_id = %s AND rule = %s AND closed_at IS NULL",
        (at, camera_id, rule),
    )
