"""An alert opens an incident by rule: when its rule says so (AlertRule.opens_incident), the alert's
incident is opened under its category's SOP as the rule's doing (`rule:<code>` in the log and the
history). A zone alert over incidents opens the response of the incident it saw; any other alert a new
incident at its point. An incident that cannot open leaves the alert as it is, and says why in the log."""

from __future__ import annotations

import logging

from django.db import transaction

from alerts.models import Alert
from layers.models import Incident
from layers.registry import registry
from response.errors import AlreadyDone, ResponseRefused
from response.opening import open_incident

logger = logging.getLogger(__name__)
RULE_ACTOR = "rule:"  # who opened an incident by rule: rule:<code>


def _seen_incident(alert: Alert) -> Incident | None:
    """The incident a zone alert over the incidents layer saw, if it still exists."""
    if alert.kind != "zone" or not alert.source_ids:
        return None
    if registry.get(alert.source_layer).model_class is not Incident:
        return None
    return Incident.objects.filter(pk=alert.source_ids[0]).first()


def open_for_alert(sender: type[Alert], alert: Alert, quiet: bool = False, **_: object) -> None:
    """Receiver of alerts.signals.alert_opened: the alert's incident, when its rule opens incidents."""
    rule = alert.rule
    if not rule.opens_incident:
        return
    by = f"{RULE_ACTOR}{rule.code}"
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the alert's own transaction whole
            if (seen := _seen_incident(alert)) is not None:
                open_incident(by=by, incident=seen, alert=alert.pk, at=alert.opened_at, announce=not quiet)
                return
            offer = alert.incident_offer()
            open_incident(by=by, alert=alert.pk, at=alert.opened_at, announce=not quiet,
                          category=rule.incident_category, severity=offer["severity"], lon=alert.geom.x,
                          lat=alert.geom.y, title=alert.title, description=rule.instruction)
    except (ResponseRefused, AlreadyDone) as refused:
        logger.warning("%s: no incident opened by rule %s: %s", alert.code, rule.code, refused)
