"""The demo city's directives in flight (`ioc load_demo`, democity.directives): issued, acknowledged, in
progress, late, done and cancelled ones, some to UBND Nam Cường (the demo staff account's unit), one
batch to several ward committees; each with the history its status implies, along the moves table and
in time order, by the demo's leader and the units' officer. Dates follow the demo's own 'today'."""

from __future__ import annotations

import pytest
from django_fsm_log.models import StateLog

from democity.models import DemoCity
from directives.models import Directive
from directives.vocabularies import DIRECTIVE_MOVES

pytestmark = pytest.mark.django_db
MOVES = {move.name: move for move in DIRECTIVE_MOVES}


@pytest.fixture
def demo() -> list[Directive]:
    end = DemoCity.current().window().end
    loaded = Directive.objects.filter(issued_at__lt=end).select_related("unit")
    return list(loaded.order_by("issued_at", "pk"))


def test_the_demo_has_directives_in_every_state(demo, unit_a):
    end = DemoCity.current().window().end
    statuses = {directive.status for directive in demo}
    assert statuses == {"issued", "acknowledged", "in_progress", "done", "cancelled"}
    late_open = [d for d in demo if d.status not in ("done", "cancelled") and d.due_at < end]
    assert late_open and all(d.escalated_at is not None for d in late_open), "late ones escalated at load"
    assert any(d.done_at and d.done_at <= d.due_at for d in demo) and any(d.done_at and d.done_at > d.due_at
                                                                        for d in demo)
    assert any(d.unit_id == unit_a.pk for d in demo)
    batches = {}
    for directive in demo:
        batches.setdefault(directive.batch, []).append(directive.unit_id)
    assert any(len(units) >= 3 for units in batches.values())
    assert all(d.ward_id is not None and d.issued_at < d.due_at for d in demo)
    linked = [d for d in demo if d.report_id is not None]
    assert linked and all(d.report.received_at < d.issued_at and d.report.geom == d.geom for d in linked)


def test_each_demo_history_is_a_path_of_the_moves_in_time_order(demo):
    for directive in demo:
        logs = list(StateLog.objects.for_(directive).order_by("timestamp", "pk"))
        status = "issued"
        moment = directive.issued_at
        for log in logs:
            move = MOVES[log.transition]
            assert status in move.sources and log.state == move.target, (directive.code, log.transition)
            assert log.timestamp >= moment and log.by is not None
            assert not move.note_required or log.description
            status, moment = log.state, log.timestamp
        assert status == directive.status, directive.code
        if directive.acknowledged_at:
            assert directive.acknowledged_at == logs[0].timestamp
        if directive.done_at:
            assert directive.done_at == logs[-1].timestamp
