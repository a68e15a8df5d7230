"""Zone events → incidents (the incidents layer): at most one open incident per (camera, zone).

The first intrusion (or too-long dwell) in a zone opens an incident with a link to the evidence
frame; later ones attach to it while it is open; it closes when the zone has been empty for a while.
All of it runs inside the writer's transaction, so a replayed batch changes nothing.

Which camera raised an incident is restricted (the layer's `camera` field), so its public code and
title say what happened, where and when, but never the camera: not its id, code or name, nor the
zone's own name (each zone is drawn on one camera). Codes are ``AI-<local date>-<number>``, numbered by
one database sequence in the order incidents are opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from psycopg import Cursor, sql

from layers.communes import commune_at, local_day
from layers.identifiers import names
from layers.models import AdminUnit, Incident
from layers.vocabularies import ADMIN_TYPE
from vision.classes import label

SOURCE = "camera_ai"
CATEGORY = {"intrusion": "intrusion", "dwell": "public_order"}
TITLE = {"intrusion": "Xâm nhập vùng cấm", "dwell": "Dừng quá lâu trong vùng giám sát"}
NUMBERS = "vision_incident_number"  # the sequence numbering AI incidents (vision migration 0002)


@dataclass(frozen=True)
class ZoneAlert:
    """A new intrusion or dwell event, as the writer got it back from the database."""

    camera_id: int
    rule: str
    kind: str  # intrusion | dwell
    object_class: str
    observed_at: datetime
    lon: float
    lat: float
    evidence: str  # path under MEDIA_ROOT, "" if none


def incident_code(observed_at: datetime, number: int) -> str:
    """The public code: the local day and the incident's number, e.g. ``AI-20261005-000042``."""
    return f"AI-{timezone.localtime(observed_at):%Y%m%d}-{number:06d}"


def incident_title(kind: str, object_class: str, ward_type: str | None, ward_name: str | None) -> str:
    """What happened and in which ward, e.g. 'Xâm nhập vùng cấm tại phường Đồng Tâm: người'."""
    where = f" tại {ADMIN_TYPE[ward_type].vi.lower()} {ward_name}" if ward_type in ADMIN_TYPE else ""
    return f"{TITLE[kind]}{where}: {label(object_class).lower()}"


def evidence_url(path: str) -> str:
    """The link to an evidence file (a path under MEDIA_ROOT) as served under MEDIA_URL."""
    return f"/{settings.MEDIA_URL.strip('/')}/{path}" if path else ""


@lru_cache(maxsize=1)
def _opening_sql() -> str:
    """The incident's number and the ward holding the alert's point on its local day (layers.communes)."""
    return sql.SQL(
        "SELECT nextval(%s::regclass), u.{unit.id}, u.{unit.unit_type}, u.{unit.name} "
        "FROM (SELECT {ward} AS ward) w LEFT JOIN {unit} u ON u.{unit.id} = w.ward"
    ).format(**names(AdminUnit, "unit"), ward=commune_at(
        sql.SQL("ST_SetSRID(ST_MakePoint(%s, %s), 4326)"), local_day(sql.SQL("%s::timestamptz")))
    ).as_string(None)


@lru_cache(maxsize=1)
def _insert_sql() -> str:
    """A new incident of the camera AI, in the incidents layer."""
    return sql.SQL(
        "INSERT INTO {i} ({i.code}, {i.category}, {i.severity}, {i.status}, {i.title}, {i.description}, "
        "{i.source}, {i.camera}, {i.reported_at}, {i.geom}, {i.ward}) "
        "VALUES (%(code)s, %(category)s, 'medium', 'new', %(title)s, %(description)s, %(source)s, "
        "%(camera)s, %(at)s, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), %(ward)s) RETURNING {i.id}"
    ).format(**names(Incident, "i")).as_string(None)


def raise_alert(cursor: Cursor, alert: ZoneAlert) -> int:
    """Attach the alert to the zone's open incident, or open one; returns the incident id."""
    cursor.execute(
        "UPDATE vision_zone_incident SET last_seen_at = greatest(last_seen_at, %s), tracks = tracks + 1 "
        "WHERE camera_id = %s AND rule = %s AND closed_at IS NULL RETURNING incident_id",
        (alert.observed_at, alert.camera_id, alert.rule),
    )
    if found := cursor.fetchone():
        return found[0]
    cursor.execute(_opening_sql(), (NUMBERS, alert.lon, alert.lat, alert.observed_at))
    number, ward_id, ward_type, ward_name = cursor.fetchone()
    link = evidence_url(alert.evidence)
    cursor.execute(
        _insert_sql(),
        {
            "code": incident_code(alert.observed_at, number),
            "category": CATEGORY[alert.kind],
            "title": incident_title(alert.kind, alert.object_class, ward_type, ward_name)[:300],
            "description": f"Ảnh bằng chứng / evidence: {link}" if link else "",
            "source": SOURCE,
            "camera": alert.camera_id,
            "at": alert.observed_at,
            "lon": alert.lon,
            "lat": alert.lat,
            "ward": ward_id,
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
