"""Pinned events: the new features of layers with a priority (layers.registry.Priority: incidents of high
and critical severity) that the map wall keeps at the top until an operator acknowledges them.

The live feed brings them in at once (its notices carry `pin`); this is the safe road a wall reads at
start and every so often, so that nothing pinned is lost to a reload or a slow connection: the
unacknowledged ones of the last `hours`, and the ones acknowledged in the last ACK_SHOWN_MINUTES with who
took them. Acknowledging is recorded once (who, when) and told to every wall through the live feed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction

from alerts.models import EventAcknowledgement
from layers.db_hooks import EVENTS_CHANNEL, event_label_field
from layers.registry import Layer, registry
from spatial.access import Viewer
from spatial.errors import Conflict, NotFound

ACK_SHOWN_MINUTES = 30  # an acknowledged event stays on the walls, greyed, with who took it
MOST_PINNED = 100


@dataclass(frozen=True)
class Pinned:
    """One pinned feature as the wall shows it."""

    layer: Layer
    feature: Any
    acknowledgement: EventAcknowledgement | None

    def document(self, viewer: Viewer) -> dict[str, Any]:
        layer, feature, ack = self.layer, self.feature, self.acknowledgement
        priority = layer.priority
        value = getattr(feature, priority.field)
        term = priority.vocabulary[value]
        label_field = event_label_field(layer)
        readable = set(viewer.readable_fields(layer))
        return {
            "layer": layer.id, "layer_vi": layer.title_vi, "layer_en": layer.title_en, "id": feature.pk,
            "lon": round(feature.geom.x, 6), "lat": round(feature.geom.y, 6),
            "time": getattr(feature, layer.time_field).isoformat(),
            "priority": value, "priority_vi": term.vi, "priority_en": term.en, "color": term.color,
            "label": str(getattr(feature, label_field)) if label_field and label_field in readable else None,
            "acknowledged": None if ack is None else {
                "by": ack.by.get_username(), "by_name": ack.by.get_full_name() or ack.by.get_username(),
                "at": ack.at.isoformat()},
        }


def priority_layers(viewer: Viewer) -> list[Layer]:
    """The layers with a priority whose priority field this viewer reads."""
    return [layer for layer in registry if layer.priority is not None and viewer.can_read(layer)
            and layer.priority.field in viewer.readable_fields(layer)]


def _candidates(layer: Layer, viewer: Viewer, now: datetime):
    priority = layer.priority
    rows = viewer.scoped(layer, layer.queryset()).filter(**{
        f"{priority.field}__in": priority.pinned,
        f"{layer.time_field}__gt": now - timedelta(hours=priority.hours),
        f"{layer.time_field}__lte": now})
    if layer.workflow is not None and layer.workflow.closed:
        rows = rows.exclude(**{f"{layer.workflow.field}__in": layer.workflow.closed})
    if priority.status and priority.settled:
        rows = rows.exclude(**{f"{priority.status}__in": priority.settled})
    return rows


def pinned(viewer: Viewer, now: datetime) -> list[Pinned]:
    """What the wall pins for `viewer` at `now`: unacknowledged first, the newest first."""
    found: list[Pinned] = []
    for layer in priority_layers(viewer):
        rows = list(_candidates(layer, viewer, now).order_by(f"-{layer.time_field}")[:MOST_PINNED])
        acks = {ack.feature_id: ack for ack in EventAcknowledgement.objects.select_related("by").filter(
            layer=layer.id, feature_id__in=[row.pk for row in rows])}
        shown_since = now - timedelta(minutes=ACK_SHOWN_MINUTES)
        found += [Pinned(layer, row, acks.get(row.pk)) for row in rows
                  if row.pk not in acks or acks[row.pk].at > shown_since]
    return sorted(found, key=lambda item: (item.acknowledgement is not None,
                                           -getattr(item.feature, item.layer.time_field).timestamp()))


def pinned_one(viewer: Viewer, layer_id: str, feature_id: str, now: datetime) -> tuple[Layer, Any]:
    """The pinnable feature `feature_id` of `layer_id` (NotFound naming what is not pinned)."""
    layer = next((layer for layer in priority_layers(viewer) if layer.id == layer_id), None)
    if layer is None:
        raise NotFound(f"layer: lớp {layer_id!r} không có sự kiện ưu tiên / {layer_id!r} pins no events")
    feature = _candidates(layer, viewer, now).filter(pk=feature_id).first() if feature_id.isdigit() else None
    if feature is None:
        raise NotFound(f"id: {layer.title_vi} số {feature_id} không phải sự kiện đang ghim / "
                       f"{layer.title_en} {feature_id} is not a pinned event")
    return layer, feature


def acknowledge(layer: Layer, feature: Any, user: AbstractBaseUser, at: datetime) -> EventAcknowledgement:
    """Record that `user` took the pinned `feature` at `at`, and tell every wall (Conflict naming who took
    it, when someone did already)."""
    try:
        with transaction.atomic():
            ack = EventAcknowledgement.objects.create(layer=layer.id, feature_id=feature.pk, by=user, at=at)
    except IntegrityError:
        ack = EventAcknowledgement.objects.select_related("by").get(layer=layer.id, feature_id=feature.pk)
        who = ack.by.get_full_name() or ack.by.get_username()
        raise Conflict(f"{who} đã xác nhận sự kiện này lúc {ack.at:%H:%M} / {who} acknowledged it "
                       f"at {ack.at:%H:%M}") from None
    notice = {"layer": layer.id, "acknowledged": {
        "id": feature.pk, "by": user.get_username(), "by_name": user.get_full_name() or user.get_username(),
        "at": at.isoformat()}}
    with connection.cursor() as cursor:  # delivered on commit, to every worker's live feed
        cursor.execute("SELECT pg_notify(%s, %s)", [EVENTS_CHANNEL, json.dumps(notice, ensure_ascii=False)])
    return ack
