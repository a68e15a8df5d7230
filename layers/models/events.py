"""Events in time: security incidents and citizen feedback reports (phản ánh kiến nghị).

A report's status is a django-fsm field; its transitions (assign, resolve, reopen…) are generated from
the one table layers.vocabularies.REPORT_MOVES and logged by django-fsm-log (who, when, the public
text). What needs the category's policy or the working calendar (the deadline, the reopen window) is
added on top by feedback.workflow through django-fsm's signals.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django_fsm import FSMField, TransitionNotAllowed, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from layers.labels import vi
from layers.models.base import WardFeature
from layers.vocabularies import (
    INCIDENT_CATEGORY,
    INCIDENT_SOURCE,
    INCIDENT_STATUS,
    REPORT_CATEGORY,
    REPORT_CHANNEL,
    REPORT_MOVES,
    REPORT_STATUS,
    SEVERITY,
)


class Incident(WardFeature):
    code = models.CharField(max_length=32, unique=True)
    category = models.CharField(max_length=20, choices=INCIDENT_CATEGORY.choices)
    severity = models.CharField(max_length=10, choices=SEVERITY.choices)
    status = models.CharField(max_length=12, choices=INCIDENT_STATUS.choices, default="new")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=30, blank=True, choices=INCIDENT_SOURCE.choices)
    camera = models.ForeignKey(
        "layers.Camera", null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    geom = models.PointField(srid=4326, spatial_index=True)


class TransitionRefused(TransitionNotAllowed):
    """A transition was asked without what it needs (a public text, a unit); nothing changed."""


_MOVES = {move.name: move for move in REPORT_MOVES}


def _move(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The django-fsm transition `name` of REPORT_MOVES around a method that does its side effects.

    The move's public text argument is required and logged as the description, with `by` (a user);
    `custom` carries the move's declaration so that callers (the editing API) can ask the FSM.
    """
    move = _MOVES[name]

    def decorate(method: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(method)

        @wraps(method)
        def body(self: CitizenReport, *args: Any, by: Any = None, description: str | None = None,
                 **kwargs: Any) -> None:
            return method(self, *args, **kwargs)  # by and description are django-fsm-log's

        fsm = transition(field="status", source=list(move.sources), target=move.target,
                         custom={"text": move.text, "unit": move.unit})(body)
        logged = fsm_log_by(fsm_log_description(fsm))

        @wraps(fsm)
        def run(self: CitizenReport, *args: Any, by: Any = None, **kwargs: Any) -> None:
            given = signature.bind_partial(self, *args, **kwargs).arguments
            text = str(given.get(move.text) or "").strip() if move.text else ""
            if move.text and not text:
                raise TransitionRefused(f"{name}: {move.text} is required (the public text of the move)",
                                        object=self)
            if move.unit and given.get("unit") is None:
                raise TransitionRefused(f"{name}: name the unit that will handle the report", object=self)
            return logged(self, *args, by=by, description=text or None, **kwargs)

        return run

    return decorate


class CitizenReport(WardFeature):
    code = models.CharField(max_length=32, unique=True)
    category = models.CharField(max_length=20, choices=REPORT_CATEGORY.choices)
    channel = models.CharField(max_length=12, choices=REPORT_CHANNEL.choices)
    status = FSMField(max_length=12, choices=REPORT_STATUS.choices, default="received")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.ForeignKey("layers.ResponsibleUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="reports")
    responsible_unit = models.CharField(max_length=200, blank=True)  # the unit's name, set by assign
    received_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField(blank=True)  # blank: feedback.deadlines sets it when received
    resolved_at = models.DateTimeField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(default=0)
    # when 75 % of the working time was announced and the breach escalated (feedback.sla: once each)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # an open report of the same category close by when this one came (feedback.duplicates), and the
    # report this one was merged into by an operator (its reporters hear of that one's answer)
    likely_duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+")
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates")
    # the citizen's own say: 1–5 stars on the answer; the key given at filing (its SHA-256 only)
    rating = models.PositiveSmallIntegerField(null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    citizen_key_digest = models.CharField(max_length=64, blank=True, editable=False)
    geom = models.PointField(srid=4326, spatial_index=True)

    # -- the transitions (REPORT_MOVES); call them with by=<user> ------------------------------------
    @_move("assign")
    def assign(self, unit: models.Model) -> None:
        self._hand_to(unit)

    @_move("reassign")
    def reassign(self, unit: models.Model, reason: str) -> None:
        self._hand_to(unit)

    @_move("start")
    def start(self) -> None:
        pass

    @_move("ask_citizen")
    def ask_citizen(self, question: str) -> None:
        self.pauses.create(started_at=timezone.now())  # the deadline clock stops

    @_move("citizen_replied")
    def citizen_replied(self) -> None:
        self.pauses.filter(ended_at__isnull=True).update(ended_at=timezone.now())

    @_move("resolve")
    def resolve(self, response: str) -> None:
        self.resolved_at = timezone.now()

    @_move("reject")
    def reject(self, reason: str) -> None:
        pass

    @_move("reopen")
    def reopen(self) -> None:
        self.resolved_at = None
        self.reopened += 1

    def _hand_to(self, unit: models.Model) -> None:
        self.unit, self.responsible_unit = unit, unit.name

    def pause_intervals(self) -> list[tuple[Any, Any]]:
        """The pauses of the deadline clock as (start, end), an open one ending now."""
        now = timezone.now()
        return [(start, end or now) for start, end in self.pauses.order_by("started_at")
                .values_list("started_at", "ended_at")]


class ReportPause(models.Model):
    """A time the deadline clock of a report stood still: waiting for the citizen (ask_citizen until
    citizen_replied; `ended_at` blank while waiting)."""

    report = models.ForeignKey(CitizenReport, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Thời gian chờ công dân"
        ordering = ("started_at",)


class CitizenReporter(models.Model):
    """Who sent a report: personal data, restricted to authorised roles."""

    report = models.OneToOneField(CitizenReport, on_delete=models.CASCADE, related_name="reporter")
    full_name = models.CharField(vi("full_name"), max_length=200)
    phone = models.CharField(vi("phone"), max_length=20, blank=True)
    email = models.CharField(vi("email"), max_length=200, blank=True)
    id_number = models.CharField(vi("id_number"), max_length=20, blank=True)

    class Meta:
        verbose_name = "Người phản ánh"
