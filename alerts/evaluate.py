"""Rules → alerts: each evaluation opens an alert for a subject newly in its condition (unless its rule's
cool-down since the subject's last alert has not passed), refreshes the open one while the condition
holds, and clears it when the condition ends. Opening and clearing are told (alerts.announce).

"Once" holds however often and wherever evaluations run: a rule is evaluated under a lock on its row
(another evaluator skips it), and the database allows one open or acknowledged alert per rule and subject.
The clock is a parameter: the periodic job passes the time, tests and the demo pass theirs.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from psycopg import sql

from alerts import announce
from alerts.conditions import Finding, RuleNotEvaluable, find
from alerts.models import Alert, AlertRule
from alerts.signals import alert_opened
from alerts.vocabularies import ACTIVE

logger = logging.getLogger(__name__)
CODE_SEQUENCE = "alerts_alert_number"  # numbers alert codes (migration 0002)


@dataclass
class Outcome:
    """What one evaluation did: alert ids opened, refreshed and cleared, rules skipped, and seconds taken."""

    opened: list[int] = field(default_factory=list)
    refreshed: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: Outcome) -> None:
        self.opened += other.opened
        self.refreshed += other.refreshed
        self.cleared += other.cleared
        self.skipped += other.skipped


def evaluate_all(now: datetime | None = None, *, quiet: bool = False) -> Outcome:
    """Evaluate every active rule at `now` (the current time by default); `quiet`: tell no one (the
    demo's past, loaded at once)."""
    now = now or timezone.now()
    started = time.perf_counter()
    outcome = Outcome()
    holding = set(Alert.objects.filter(status__in=ACTIVE).values_list("rule_id", flat=True))
    for rule in AlertRule.objects.filter(active=True).order_by("code"):
        try:
            outcome.add(evaluate_rule(rule, now, quiet=quiet, holding=rule.pk in holding))
        except RuleNotEvaluable as error:
            logger.warning("%s", error)
            outcome.skipped.append(rule.code)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _same_subject(alert: Alert, finding: Finding, rule: AlertRule) -> bool:
    """A finding continues an alert: the same subject, or for clusters (whose members come and go)
    one shared source event."""
    if alert.subject == finding.subject:
        return True
    clustered = rule.kind == "count" and rule.grouping == "radius"
    return clustered and bool(set(alert.source_ids) & set(finding.source_ids))


def evaluate_rule(rule: AlertRule, now: datetime, *, quiet: bool = False,
                  holding: bool | None = None) -> Outcome:
    """Evaluate one rule at `now`; nothing when another evaluator holds it. `quiet`: tell no one;
    `holding`: whether the rule has open or acknowledged alerts, if the caller knows (None: ask)."""
    outcome = Outcome()
    findings = find(rule, now)
    if holding is None:
        holding = Alert.objects.filter(rule=rule, status__in=ACTIVE).exists()
    if not findings and not holding:
        return outcome  # nothing holds, nothing to clear: no lock, no transaction (most rules, most minutes)
    with transaction.atomic():
        if not AlertRule.objects.select_for_update(skip_locked=True).filter(pk=rule.pk).exists():
            outcome.skipped.append(rule.code)
            return outcome
        known = list(Alert.objects.filter(rule=rule).filter(
            Q(status__in=ACTIVE) | Q(cleared_at__gt=now - timedelta(minutes=rule.cooldown_minutes),
                                     cleared_at__lte=now)).order_by("id"))
        active = [alert for alert in known if alert.status in ACTIVE]
        cooling = [alert for alert in known if alert.status not in ACTIVE]
        held: set[int] = set()
        for finding in findings:
            alert = next((a for a in active if a.pk not in held and _same_subject(a, finding, rule)), None)
            if alert is not None:
                held.add(alert.pk)
                _refresh(alert, finding)
                outcome.refreshed.append(alert.pk)
            elif not any(_same_subject(a, finding, rule) for a in cooling):
                outcome.opened.append(_open(rule, finding, now, quiet).pk)
        for alert in active:
            if alert.pk not in held:
                _clear(alert, now, quiet)
                outcome.cleared.append(alert.pk)
    return outcome


def _next_code(now: datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT nextval({})").format(sql.Literal(CODE_SEQUENCE)).as_string(None))
        number = cursor.fetchone()[0]
    return f"CB-{timezone.localtime(now):%Y%m%d}-{number:06d}"


def titles(rule: AlertRule, finding: Finding) -> tuple[str, str]:
    """The alert's title in Vietnamese and English: the rule's name, then what and where."""
    where = finding.label or finding.ward_name
    vi = en = ""
    if rule.kind == "count":
        vi, en = f"{finding.value:.0f} sự kiện", f"{finding.value:.0f} events"
    parts_vi = [p for p in (vi, f"tại {where}" if where else "") if p]
    parts_en = [p for p in (en, f"at {where}" if where else "") if p]
    return (f"{rule.name}: {' '.join(parts_vi)}" if parts_vi else rule.name)[:300], \
        (f"{rule.name_en}: {' '.join(parts_en)}" if parts_en else rule.name_en)[:300]


def _open(rule: AlertRule, finding: Finding, now: datetime, quiet: bool) -> Alert:
    title, title_en = titles(rule, finding)
    alert = Alert.objects.create(
        code=_next_code(now), rule=rule, rule_version=rule.version, kind=rule.kind, subject=finding.subject,
        title=title, title_en=title_en, severity=rule.severity, urgency=rule.urgency,
        certainty=rule.certainty, category=rule.category, opened_at=now, value=finding.value,
        source_layer=rule.layer, source_ids=list(finding.source_ids),
        radius_m=finding.radius_m, area=GEOSGeometry(finding.area_ewkt) if finding.area_ewkt else None,
        geom=Point(finding.lon, finding.lat, srid=4326), ward_id=finding.ward_id)
    if not quiet:
        announce.opened(alert)
    alert_opened.send(sender=Alert, alert=alert, quiet=quiet)
    return alert


def _refresh(alert: Alert, finding: Finding) -> None:
    """The condition still holds: the alert follows its subject (value, members, place) silently, written
    only when one of them changed (every write bumps the feature's version and its tiles)."""
    now_says = {"value": finding.value, "source_ids": list(finding.source_ids), "radius_m": finding.radius_m}
    point = Point(finding.lon, finding.lat, srid=4326)
    if any(getattr(alert, name) != value for name, value in now_says.items()) or not alert.geom.equals_exact(
            point, 1e-9):
        Alert.objects.filter(pk=alert.pk).update(**now_says, geom=point)


def _clear(alert: Alert, now: datetime, quiet: bool) -> None:
    """The condition ended: cleared once (the claim is the UPDATE that finds it still active)."""
    claimed = Alert.objects.filter(pk=alert.pk, status__in=ACTIVE).update(status="cleared", cleared_at=now)
    if claimed and not quiet:
        alert.refresh_from_db()
        announce.cleared(alert)

