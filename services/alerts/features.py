"""Alerts as the map wall reads them: GeoJSON features with labels (vi/en), colours, the rule, the ward,
the CAP area and what this viewer may do; and the list's filters (status, severity, kind, ward, since)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from alerts.models import Alert
from alerts.vocabularies import ALERT_STATUS, CAP_CATEGORY, CERTAINTY, RULE_KIND, SEVERITY, URGENCY
from layers.registry import Layer, registry
from spatial.access import Viewer
from spatial.errors import BadRequest

LAYER = "alerts"
DEFAULT_LIMIT, MAX_LIMIT = 200, 1000
VOCABULARIES = {"severity": SEVERITY, "urgency": URGENCY, "certainty": CERTAINTY, "category": CAP_CATEGORY,
                "status": ALERT_STATUS, "kind": RULE_KIND}


def alerts_layer() -> Layer:
    """The alerts layer's declaration (alerts.catalog)."""
    return registry.get(LAYER)


def may_acknowledge(viewer: Viewer) -> bool:
    """Operators (and administrators) acknowledge alerts: the layer's readers who run the wall."""
    from spatial.roles import OPERATOR

    return viewer.is_admin or OPERATOR.code in viewer.roles


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _labelled(name: str, code: str) -> dict[str, str]:
    term = VOCABULARIES[name][code]
    return {"code": term.code, "vi": term.vi, "en": term.en, "color": term.color}


def feature(alert: Alert, viewer: Viewer, base_url: str = "") -> dict[str, Any]:
    """One alert as a GeoJSON Feature (see docs/alerts.md for every member)."""
    rule = alert.rule
    properties = {
        "code": alert.code, "title": alert.title, "title_en": alert.title_en, "status": alert.status,
        **{f"{name}_label": _labelled(name, getattr(alert, name)) for name in VOCABULARIES},
        "kind": alert.kind, "severity": alert.severity, "urgency": alert.urgency,
        "certainty": alert.certainty,
        "category": alert.category, "color": SEVERITY[alert.severity].color,
        "opened_at": _iso(alert.opened_at), "acknowledged_at": _iso(alert.acknowledged_at),
        "acknowledged_by": alert.acknowledged_by.get_username() if alert.acknowledged_by else None,
        "ack_minutes": alert.ack_minutes, "cleared_at": _iso(alert.cleared_at), "value": alert.value,
        "rule": {"id": rule.pk, "code": rule.code, "name": rule.name, "name_en": rule.name_en,
                 "version": alert.rule_version, "public": rule.public, "instruction": rule.instruction,
                 "instruction_en": rule.instruction_en},
        "ward": {"id": alert.ward_id, "code": alert.ward.code, "name": alert.ward.name}
        if alert.ward_id else None,
        "source_layer": alert.source_layer, "source_ids": list(alert.source_ids), "radius_m": alert.radius_m,
        "area": json.loads(alert.area.geojson) if alert.area else None,
        "cap_url": f"{base_url}/api/alerts/{alert.pk}.cap",
        "acknowledge_url": f"{base_url}/api/alerts/{alert.pk}/acknowledge",
        "may_acknowledge": alert.status == "open" and may_acknowledge(viewer),
        "incident": alert.incident_offer(),
    }
    return {"type": "Feature", "id": alert.pk, "geometry": json.loads(alert.geom.geojson),
            "properties": properties}


def _codes(params: Mapping[str, str], name: str) -> list[str] | None:
    if not (raw := params.get(name, "").strip()):
        return None
    codes = [code.strip() for code in raw.split(",") if code.strip()]
    if unknown := [code for code in codes if code not in VOCABULARIES[name]]:
        raise BadRequest(f"{name}: không có mã {unknown} / unknown codes {unknown}; "
                         f"codes: {', '.join(VOCABULARIES[name].codes)}")
    return codes


def _integer(params: Mapping[str, str], name: str, default: int | None, largest: int) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= largest:
        raise BadRequest(f"{name}: một số nguyên từ 1 đến {largest} / an integer from 1 to {largest}")
    return int(raw)


def selected(params: Mapping[str, str]) -> tuple[QuerySet[Alert], int]:
    """The alerts a list asks for, newest first, and its limit: status (default open,acknowledged),
    severity, kind, category (comma-separated codes), ward (an id), since (ISO 8601: opened or changed
    since), limit (1–1000, default 200)."""
    rows = Alert.objects.select_related("rule", "ward", "acknowledged_by").order_by("-opened_at", "-id")
    rows = rows.filter(status__in=_codes(params, "status") or ["open", "acknowledged"])
    for name in ("severity", "kind", "category"):
        if (codes := _codes(params, name)) is not None:
            rows = rows.filter(**{f"{name}__in": codes})
    if (ward := _integer(params, "ward", None, 2**31 - 1)) is not None:
        rows = rows.filter(ward_id=ward)
    if raw := params.get("since", "").strip():
        since = parse_datetime(raw.replace(" ", "+"))
        if since is None or since.tzinfo is None:
            raise BadRequest("since: thời điểm ISO 8601 có múi giờ / an ISO 8601 time with its offset")
        rows = rows.filter(updated_at__gte=since)
    return rows, _integer(params, "limit", DEFAULT_LIMIT, MAX_LIMIT)
