"""Who is e-mailed an alert: the active subscriptions that want it (kind, category, ward, severity, quiet
hours in Asia/Ho_Chi_Minh) and their addresses (a role's members, a unit, one user)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from alerts.models import Alert, Subscription
from alerts.vocabularies import SEVERITY_RANK

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def in_quiet_hours(subscription: Subscription, at: datetime) -> bool:
    """Whether `at` falls in the subscription's quiet hours (local time; 22:00–06:00 wraps midnight)."""
    start, end = subscription.quiet_from, subscription.quiet_to
    if start is None or end is None or start == end:
        return False
    local: time = at.astimezone(LOCAL_ZONE).time()
    return start <= local < end if start < end else (local >= start or local < end)


def wants(subscription: Subscription, alert: Alert, at: datetime) -> bool:
    """Whether the subscription asks for this alert at `at` by e-mail."""
    if subscription.kinds and alert.kind not in subscription.kinds:
        return False
    if subscription.categories and alert.category not in subscription.categories:
        return False
    wards = {ward.pk for ward in subscription.wards.all()}
    if wards and alert.ward_id not in wards:
        return False
    severity = SEVERITY_RANK[alert.severity]
    if severity < SEVERITY_RANK[subscription.min_severity]:
        return False
    return not (severity < SEVERITY_RANK[subscription.quiet_below] and in_quiet_hours(subscription, at))


def addresses(subscription: Subscription) -> list[str]:
    """The e-mail addresses a subscription stands for: a role's active members, a unit's address, a user."""
    if subscription.role:
        users = get_user_model().objects.filter(is_active=True, groups__name=subscription.role)
        users = users.exclude(email="")
        return list(users.values_list("email", flat=True))
    if subscription.unit_id:
        return [subscription.unit.email] if subscription.unit.email else []
    user = subscription.user
    return [user.email] if user.is_active and user.email else []


def recipients(alert: Alert, at: datetime, *, clearing: bool = False) -> list[str]:
    """Every address to e-mail about `alert` at `at` (its opening, or its clearing), each once."""
    found: set[str] = set()
    subscriptions = Subscription.objects.filter(active=True).select_related("unit", "user") \
        .prefetch_related("wards")
    if clearing:
        subscriptions = subscriptions.filter(on_clear=True)
    for subscription in subscriptions:
        if wants(subscription, alert, at):
            found.update(addresses(subscription))
    return sorted(found)
