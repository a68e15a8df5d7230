"""The report workflow on django-fsm: each transition from each status, its log (who, the public
text), the reopen window, and the one transition table shared by the FSM and the layer registry."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from feedback.models import CategoryPolicy
from layers.checks import layer_errors
from layers.models import CitizenReport, ResponsibleUnit
from layers.registry import Workflow, registry
from layers.vocabularies import REPORT_MOVES, REPORT_STATUS, REPORT_TRANSITIONS

pytestmark = pytest.mark.django_db


def new_report(status: str = "received", **fields) -> CitizenReport:
    """A copy of the first demo report, in `status`."""
    report = CitizenReport.objects.order_by("pk").first()
    report.pk, report.id, report._state.adding = None, None, True
    report.code, report.status, report.resolved_at = f"T-{CitizenReport.objects.count()}", status, None
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    return CitizenReport.objects.get(pk=report.pk)


def unit() -> ResponsibleUnit:
    return ResponsibleUnit.objects.filter(active=True).order_by("code").first()


ARGUMENTS = {"assign": lambda: {"unit": unit()},
             "reassign": lambda: {"unit": unit(), "reason": "Sai đơn vị"},
             "ask_citizen": lambda: {"question": "Xin gửi thêm ảnh"},
             "resolve": lambda: {"response": "Đã sửa"},
             "reject": lambda: {"reason": "Không thuộc thẩm quyền"}}
TABLE = [(move.name, status, status in move.sources, move.target)
         for move in REPORT_MOVES for status in REPORT_STATUS.codes]


def test_the_fsm_allows_exactly_the_declared_workflow():
    moves = list(CitizenReport._meta.get_field("status").get_all_transitions(CitizenReport))
    allowed: dict[str, set[str]] = {status: set() for status in REPORT_STATUS.codes}
    for move in moves:
        allowed[move.source].add(move.target)
    assert allowed == {status: set(targets) for status, targets in REPORT_TRANSITIONS.items()}
    assert {move.name for move in moves} == {move.name for move in REPORT_MOVES}
    workflow = registry.get("citizen_reports").workflow
    assert workflow.transitions == REPORT_TRANSITIONS
    assert workflow.closed == ("resolved", "rejected")  # reopening a resolved report is not "open"


@pytest.mark.parametrize(("name", "status", "allowed", "target"), TABLE,
                         ids=[f"{name}-from-{status}" for name, status, _a, _t in TABLE])
def test_each_transition_from_each_status(name, status, allowed, target):
    report = new_report(status, resolved_at=timezone.now() if status == "resolved" else None)
    arguments = ARGUMENTS.get(name, dict)()
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            getattr(report, name)(**arguments)
        assert report.status == status
        return
    getattr(report, name)(**arguments)
    report.save()
    assert CitizenReport.objects.get(pk=report.pk).status == target


def test_transitions_are_logged_with_who_and_the_public_text():
    operator = get_user_model().objects.get(username="vanhanh")
    report = new_report()
    report.assign(unit=unit(), by=operator)
    report.start(by=operator)
    report.resolve("Đã vá ổ gà trước số 12.", by=operator)
    report.save()
    stored = CitizenReport.objects.get(pk=report.pk)
    assert (stored.status, stored.unit, stored.responsible_unit) == ("resolved", unit(), unit().name)
    assert stored.resolved_at is not None
    log = list(StateLog.objects.for_(stored).order_by("pk")
               .values_list("transition", "source_state", "state", "by__username", "description"))
    assert log == [("assign", "received", "assigned", "vanhanh", None),
                   ("start", "assigned", "in_progress", "vanhanh", None),
                   ("resolve", "in_progress", "resolved", "vanhanh", "Đã vá ổ gà trước số 12.")]


@pytest.mark.parametrize(("name", "status"), [("resolve", "in_progress"), ("reject", "received"),
                                              ("reassign", "assigned"), ("ask_citizen", "in_progress")])
def test_a_transition_without_its_public_text_changes_nothing(name, status):
    report = new_report(status)
    arguments = {key: value for key, value in ARGUMENTS[name]().items() if key == "unit"}
    with pytest.raises(TransitionNotAllowed, match="required"):
        getattr(report, name)(**arguments)
    assert report.status == status
    assert not StateLog.objects.for_(report).exists()


def test_assign_needs_a_unit():
    report = new_report()
    with pytest.raises(TransitionNotAllowed, match="unit"):
        report.assign(unit=None)
    assert report.status == "received"


def test_waiting_for_the_citizen_records_a_pause_and_the_reply_closes_it():
    report = new_report("in_progress")
    report.ask_citizen("Ảnh chụp rõ hơn?")
    report.save()
    assert report.status == "waiting"
    assert list(report.pauses.values_list("ended_at", flat=True)) == [None]
    report.citizen_replied()
    report.save()
    assert report.status == "in_progress"
    pause = report.pauses.get()
    assert pause.ended_at >= pause.started_at


def test_reopen_within_the_categorys_window_counts_it():
    CategoryPolicy.objects.update_or_create(category="environment", defaults={"reopen_days": 7})
    report = new_report("resolved", category="environment", resolved_at=timezone.now() - timedelta(days=6))
    report.reopen()
    report.save()
    stored = CitizenReport.objects.get(pk=report.pk)
    assert (stored.status, stored.reopened, stored.resolved_at) == ("received", 1, None)


def test_reopen_after_the_window_is_refused():
    CategoryPolicy.objects.update_or_create(category="environment", defaults={"reopen_days": 7})
    report = new_report("resolved", category="environment", resolved_at=timezone.now() - timedelta(days=8))
    with pytest.raises(TransitionNotAllowed, match="reopen"):
        report.reopen()
    assert (report.status, report.reopened) == ("resolved", 0)


def test_a_workflow_that_differs_from_the_fsm_fails_check_e009():
    layer = registry.get("citizen_reports")
    assert [e.id for e in layer_errors(layer) if e.id == "layers.E009"] == []
    fewer = {**REPORT_TRANSITIONS, "resolved": frozenset()}  # the FSM still reopens
    errors = [e for e in layer_errors(replace(layer, workflow=Workflow(fewer))) if e.id == "layers.E009"]
    assert [e.msg for e in errors] == ["layer 'citizen_reports': the workflow differs from the transitions "
                                       "of 'status'"]
