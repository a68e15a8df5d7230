"""An alert told outside: events alerts.alert.opened, .acknowledged and .cleared through notify (every
webhook that wants them, MQTT ioc/alerts/alert/<what>), and e-mails to the subscribers who want it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

import notify
from alerts.models import Alert
from alerts.subscriptions import recipients
from alerts.vocabularies import SEVERITY
from notify import Email

TEMPLATE = "alert"  # alerts/templates/notify/alert.*


def payload(alert: Alert) -> dict[str, Any]:
    """What webhooks and MQTT carry: codes, times, place and the source features (no personal data)."""
    return {
        "id": alert.pk, "code": alert.code, "status": alert.status, "rule": alert.rule.code,
        "rule_version": alert.rule_version, "kind": alert.kind, "title": alert.title,
        "title_en": alert.title_en,
        "severity": alert.severity, "urgency": alert.urgency, "certainty": alert.certainty,
        "category": alert.category, "opened_at": alert.opened_at.isoformat(),
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "cleared_at": alert.cleared_at.isoformat() if alert.cleared_at else None,
        "ward": alert.ward.code if alert.ward_id else None, "lon": round(alert.geom.x, 6),
        "lat": round(alert.geom.y, 6), "value": alert.value, "source_layer": alert.source_layer,
        "source_ids": list(alert.source_ids), "cap": f"/api/alerts/{alert.pk}.cap",
    }


def _email(alert: Alert, stage: str, to: list[str]) -> list[Email]:
    if not to:
        return []
    at = alert.cleared_at if stage == "cleared" else alert.opened_at
    severity = SEVERITY[alert.severity]
    context = {"stage": stage, "code": alert.code, "title": alert.title, "title_en": alert.title_en,
               "severity": severity.vi, "severity_en": severity.en,
               "at": timezone.localtime(at).strftime("%H:%M %d/%m/%Y"),
               "ward": alert.ward.name if alert.ward_id else "", "url": f"/?alert={alert.pk}",
               "cap_url": f"/api/alerts/{alert.pk}.cap", "instruction": alert.rule.instruction,
               "instruction_en": alert.rule.instruction_en}
    return [Email(to=to, template=TEMPLATE, context=context)]


def opened(alert: Alert) -> None:
    """Tell that `alert` opened: every channel, and e-mail to its subscribers."""
    notify.publish("alerts.alert.opened", payload(alert),
                   emails=_email(alert, "opened", recipients(alert, alert.opened_at)))


def cleared(alert: Alert) -> None:
    """Tell that `alert` cleared: every channel, and e-mail to the subscribers who want clearings."""
    notify.publish("alerts.alert.cleared", payload(alert),
                   emails=_email(alert, "cleared", recipients(alert, alert.cleared_at, clearing=True)))


def acknowledged(alert: Alert) -> None:
    """Other walls and gateways hear who took it (not by e-mail)."""
    notify.publish("alerts.alert.acknowledged", payload(alert))
