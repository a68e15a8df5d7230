"""A leader's directive to one unit (one row per unit; a directive issued to several units is one
batch), with its place, its deadline and its status, a django-fsm field whose transitions are generated
from directives.vocabularies.DIRECTIVE_MOVES and logged by django-fsm-log (who, when, the text); the
evidence photos of a progress report or a closing hang on the logged step."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django_fsm import FSMField, TransitionNotAllowed, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from directives.vocabularies import DIRECTIVE_LABELS, DIRECTIVE_PRIORITY, DIRECTIVE_STATUS, MOVES_BY_NAME
from layers.models.base import WardFeature


def _vi(name: str) -> str:
    return DIRECTIVE_LABELS[name][0]


class TransitionRefused(TransitionNotAllowed):
    """A move was asked without what it needs (its text); nothing changed. The message names the field."""

    status, code = 400, "InvalidParameterValue"  # an HTTP answer of its own (spatial.error_responses)


def _move(name: str) -> Callable[[Callable[[Any], None]], Callable[..., None]]:
    """The django-fsm transition `name` of DIRECTIVE_MOVES around a method doing its side effects:
    called as ``directive.<name>(note="…", by=user)``, the note (required when the move says so) is
    logged as the step's description and `by` as who made it."""
    move = MOVES_BY_NAME[name]

    def decorate(method: Callable[[Any], None]) -> Callable[..., None]:
        @wraps(method)
        def body(self: Directive, *, by: Any = None, description: str | None = None) -> None:
            method(self)  # by and description are django-fsm-log's

        fsm = transition(field="status", source=list(move.sources), target=move.target,
                         custom={"move": name})(body)
        logged = fsm_log_by(fsm_log_description(fsm))

        @wraps(fsm)
        def run(self: Directive, note: str = "", *, by: Any = None) -> None:
            text = str(note or "").strip()
            if move.note_required and not text:
                raise TransitionRefused(f"{move.note}: hãy ghi nội dung / write the {move.note} of this step",
                                        object=self)
            logged(self, by=by, description=text or None)

        return run

    return decorate


class Directive(WardFeature):
    code = models.CharField(_vi("code"), max_length=40, unique=True)
    batch = models.CharField(_vi("batch"), max_length=32, db_index=True)
    unit = models.ForeignKey("layers.ResponsibleUnit", verbose_name=_vi("unit"), on_delete=models.PROTECT,
                             related_name="directives")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_vi("issued_by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_vi("title"), max_length=200)
    text = models.TextField(_vi("text"))
    priority = models.CharField(_vi("priority"), max_length=12, choices=DIRECTIVE_PRIORITY.choices,
                                default="normal")
    status = FSMField(_vi("status"), max_length=12, choices=DIRECTIVE_STATUS.choices, default="issued")
    issued_at = models.DateTimeField(_vi("issued_at"), db_index=True)
    due_at = models.DateTimeField(_vi("due_at"))
    acknowledged_at = models.DateTimeField(_vi("acknowledged_at"), null=True, blank=True)
    done_at = models.DateTimeField(_vi("done_at"), null=True, blank=True)
    # when the overdue directive was escalated (directives.escalation: once)
    escalated_at = models.DateTimeField(_vi("escalated_at"), null=True, blank=True)
    incident = models.ForeignKey("layers.Incident", verbose_name=_vi("incident"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    report = models.ForeignKey("layers.CitizenReport", verbose_name=_vi("report"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    alert_id = models.PositiveBigIntegerField(_vi("alert_id"), null=True, blank=True)  # alerts.Alert, by id
    geom = models.PointField(srid=4326, spatial_index=True)

    class Meta:
        verbose_name = "Chỉ đạo"
        verbose_name_plural = "Chỉ đạo"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    # -- the moves (DIRECTIVE_MOVES); call them with note="…", by=<user> ---------------------------------
    @_move("acknowledge")
    def acknowledge(self) -> None:
        """The unit says it has the directive."""
        self.acknowledged_at = timezone.now()

    @_move("progress")
    def progress(self) -> None:
        """The unit reports how far it got (photos may follow)."""

    @_move("done")
    def done(self) -> None:
        """The unit reports the directive carried out, with evidence."""
        self.done_at = timezone.now()

    @_move("cancel")
    def cancel(self) -> None:
        """A leader withdraws the directive, giving the reason."""


class DirectivePhoto(models.Model):
    """An evidence photo of a step (progress or done), re-encoded on arrival (no EXIF, no GPS tags)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="photos")
    step = models.ForeignKey("django_fsm_log.StateLog", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    image = models.ImageField("Ảnh", upload_to="directives/")  # named <code>-<n>.jpg by directives.evidence
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Ảnh minh chứng"
        verbose_name_plural = "Ảnh minh chứng"
        ordering = ("pk",)
