"""What the demo tests check of a report's django-fsm-log history: a path of REPORT_MOVES from
`received` to the report's status, in time order, by the demo's officer, with a public text on the
moves that carry one (from democity.responses)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from democity import responses
from democity.histories import DEMO_OFFICER
from layers.models import CitizenReport
from layers.vocabularies import REPORT_MOVES

MOVES = {move.name: move for move in REPORT_MOVES}
TEXTS = {"resolve": {text for texts in responses.RESOLVED.values() for text in texts},
         "reject": set(responses.REJECTED), "ask_citizen": set(responses.QUESTIONS),
         "reassign": set(responses.REASSIGNED)}


def logs_by_report(**filters) -> dict[int, list[StateLog]]:
    """The reports' logs in time order, by report id."""
    kind = ContentType.objects.get_for_model(CitizenReport)
    found: dict[int, list[StateLog]] = defaultdict(list)
    for log in (StateLog.objects.filter(content_type=kind, **filters).select_related("by")
                .order_by("timestamp", "pk")):
        found[log.object_id].append(log)
    return found


def check_path(report: CitizenReport, logs: list[StateLog], latest: datetime) -> tuple[str, ...]:
    """Assert that `logs` lead `report` from received to its status, in order between its receipt and
    `latest`; the moves' names."""
    state, moment = "received", report.received_at
    for log in logs:
        move = MOVES[log.transition]
        assert state in move.sources, report.code
        assert (log.source_state, log.state) == (state, move.target), report.code
        assert moment <= log.timestamp, report.code
        assert log.by.username == DEMO_OFFICER
        if move.text:
            assert log.description in TEXTS[log.transition], (report.code, log.description)
        else:
            assert log.description is None
        state, moment = log.state, log.timestamp
    assert state == report.status, report.code
    assert moment <= latest, report.code
    return tuple(log.transition for log in logs)
