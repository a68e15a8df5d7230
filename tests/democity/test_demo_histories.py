"""The demo's 3,000 reports as the workflow would have left them: for every one, the django-fsm-log
history is a path of REPORT_MOVES from `received` to its status, in time order between its receipt and
its resolution (or the demo's end), by the demo's officer with a public text where the move needs one;
a unit past `received`; the pauses of its waits; its deadline on the working calendar."""

from __future__ import annotations

from collections import defaultdict

import pytest
from report_paths import MOVES, check_path, logs_by_report

from democity.models import DemoCity
from feedback import deadlines
from layers.models import CitizenReport, ReportPause

pytestmark = pytest.mark.django_db


def demo_reports() -> list[CitizenReport]:
    end = DemoCity.current().window().end
    return list(CitizenReport.objects.filter(received_at__lt=end, code__regex=r"^PA-\d{8}-\d{3}$")
                .order_by("pk"))


def test_every_demo_report_has_a_history_that_is_a_path_of_the_workflow_to_its_status():
    reports, logs = demo_reports(), logs_by_report()
    end = DemoCity.current().window().end
    assert len(reports) == 3000
    paths = defaultdict(int)
    for report in reports:
        path = check_path(report, logs[report.pk], report.resolved_at or end)
        if report.status == "resolved":
            assert logs[report.pk][-1].transition == "resolve"
            assert logs[report.pk][-1].timestamp == report.resolved_at
        else:
            assert report.resolved_at is None
        assert report.reopened == sum(log.transition == "reopen" for log in logs[report.pk])
        assert (report.unit_id is None) == (report.status == "received"), report.code
        paths[path] += 1
    assert paths[()] > 0 and paths[("assign",)] > 0 and paths[("assign", "start", "resolve")] > 1000
    every_move = {name for path in paths for name in path}
    assert every_move == set(MOVES), "the demo's histories use every move of the workflow"


def test_each_wait_for_the_citizen_is_a_pause_of_the_deadline_clock():
    logs = logs_by_report()
    pauses = defaultdict(list)
    for pause in ReportPause.objects.order_by("started_at"):
        pauses[pause.report_id].append((pause.started_at, pause.ended_at))
    for report in demo_reports():
        asked = [log.timestamp for log in logs[report.pk] if log.transition == "ask_citizen"]
        replied = [log.timestamp for log in logs[report.pk] if log.transition == "citizen_replied"]
        assert pauses[report.pk] == list(zip(asked, replied, strict=True)), report.code


def test_every_demo_deadline_is_the_one_the_workflow_gives_on_the_working_calendar():
    wrong = [report.code for report in demo_reports() if report.due_at != deadlines.due_at(report)]
    assert wrong == []


def test_open_reports_past_their_deadline_at_load_were_escalated_then_and_no_others():
    end = DemoCity.current().window().end
    demo = CitizenReport.objects.filter(pk__in=[report.pk for report in demo_reports()])
    late = demo.exclude(status__in=("resolved", "rejected")).filter(due_at__lt=end)
    assert late.exists() and late.filter(escalated_at__isnull=True).count() == 0
    assert not demo.exclude(pk__in=late).filter(escalated_at__isnull=False).exists()
