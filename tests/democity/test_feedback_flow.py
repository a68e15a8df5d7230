"""The demo's steady flow (`ioc feedback_flow`): every tick files a report through the intake at a
point of a commune in force, the live feed's trigger announces it, and some of the flow's own open
reports move one valid step of the workflow; the same seed gives the same flow; SIGTERM stops it
cleanly between ticks. The flow runs on its own connection (committed, as in the demo); what it wrote
is deleted afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from report_paths import check_path, logs_by_report

from democity.flow import CHANNELS
from feedback.models import Submission
from layers.db_hooks import EVENTS_CHANNEL
from layers.models import CitizenReport
from spatial.config import DatabaseConfig

pytestmark = pytest.mark.django_db

CLEANUP = (
    "DELETE FROM django_fsm_log_statelog WHERE object_id IN (SELECT id FROM flow_reports) "
    "AND content_type_id = (SELECT id FROM django_content_type WHERE app_label = 'layers' "
    "AND model = 'citizenreport')",
    *(f"DELETE FROM {table} WHERE report_id IN (SELECT id FROM flow_reports)" for table in
      ("feedback_submission", "layers_citizenreporter", "layers_reportpause", "feedback_reportphoto")),
    "DELETE FROM layers_citizenreport WHERE id IN (SELECT id FROM flow_reports)",
    "DELETE FROM layers_featurehistory WHERE table_name = 'layers_citizenreport' "
    "AND feature_id IN (SELECT id FROM flow_reports)",
    "DELETE FROM notify_delivery WHERE event_id IN (SELECT id FROM notify_event WHERE occurred_at >= %(at)s)",
    "DELETE FROM notify_event WHERE occurred_at >= %(at)s",
    "DELETE FROM procrastinate_jobs WHERE id > %(job)s AND status <> 'doing'",
)


@pytest.fixture
def database() -> Iterator[psycopg.Connection]:
    """A plain autocommit connection to the test database (to listen, and to clean up)."""
    with psycopg.connect(DatabaseConfig.of_django().as_url(), autocommit=True) as conn:
        yield conn


@pytest.fixture
def undo_flow(database) -> Iterator[Callable[[], None]]:
    """undo_flow() deletes what flows wrote since the test began (the reports received since, their
    logs, submissions, history rows, notify events and jobs); it also runs after the test."""
    last_report, last_job, started = database.execute(
        "SELECT (SELECT max(id) FROM layers_citizenreport), "
        "(SELECT coalesce(max(id), 0) FROM procrastinate_jobs), clock_timestamp()").fetchone()

    def undo() -> None:
        with database.transaction():
            database.execute("CREATE TEMP TABLE flow_reports ON COMMIT DROP AS "
                             "SELECT id FROM layers_citizenreport WHERE id > %s", [last_report])
            for statement in CLEANUP:
                database.execute(statement, {"at": started, "job": last_job})

    yield undo
    undo()


def run_flow(**options) -> str:
    """`ioc feedback_flow` with `options` in a thread of its own (its own connection, committed)."""
    from io import StringIO

    out, failure = StringIO(), []

    def target() -> None:
        try:
            call_command("feedback_flow", stdout=out, **options)
        except Exception as exc:  # noqa: BLE001 (raised again below)
            failure.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if failure:
        raise failure[0]
    return out.getvalue()


def flow_reports(since_pk: int) -> list[CitizenReport]:
    return list(CitizenReport.objects.filter(pk__gt=since_pk).select_related("ward").order_by("pk"))


def last_pk() -> int:
    return CitizenReport.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_each_tick_files_a_report_the_live_feed_hears_and_moves_the_flows_own_reports(database, undo_flow):
    before, logs_before = last_pk(), logs_by_report()
    database.execute(f"LISTEN {EVENTS_CHANNEL}")
    out = run_flow(every=0.01, ticks=15, seed=3)
    reports = flow_reports(before)
    assert len(reports) == 15 and "stopped after 15 ticks" in out
    assert {report.channel for report in reports} <= set(CHANNELS)
    assert all(report.ward.level == "commune" and report.ward.valid_to is None for report in reports)
    assert all(report.due_at is not None and report.title for report in reports)
    digests = set(Submission.objects.filter(report__in=reports).values_list("address_digest", flat=True))
    assert len(digests) == 1  # filed from the flow's own client address

    logs = logs_by_report()
    moved = {pk for pk in logs if logs[pk] != logs_before.get(pk, [])}
    assert moved and moved <= {report.pk for report in reports}  # nobody else's report is touched
    paths = [check_path(report, logs[report.pk], timezone.now()) for report in reports]
    done = {move for path in paths for move in path}
    assert {"assign", "start", "resolve"} <= done
    assert {report.status for report in reports} > {"received"}

    heard = {}
    for notice in database.notifies(timeout=2.0, stop_after=100):
        payload = json.loads(notice.payload)
        if payload["layer"] == "citizen_reports":
            heard |= {feature["id"]: feature["label"] for feature in payload["features"]}
    assert {pk: heard.get(pk) for pk in (r.pk for r in reports)} == {r.pk: r.title[:60] for r in reports}


def test_the_same_seed_gives_the_same_reports_and_moves(undo_flow):
    def once() -> list[tuple]:
        before = last_pk()
        run_flow(every=0.01, ticks=8, seed=11)
        reports = flow_reports(before)
        logs = logs_by_report(object_id__in=[r.pk for r in reports])
        undo_flow()
        return [(r.category, r.channel, r.title, round(r.geom.x, 7), round(r.geom.y, 7), r.status,
                 [(log.transition, log.description) for log in logs[r.pk]]) for r in reports]

    first, second = once(), once()
    assert first == second and len(first) == 8


def test_sigterm_stops_the_flow_between_ticks(undo_flow):
    env = {**os.environ, "DATABASE_URL": DatabaseConfig.of_django().as_url()}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-m", "ioc.cli", "feedback_flow", "--every", "0.2", "--seed", "5"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = process.stdout.readline()
        while first and not first.startswith("tick 1:"):
            first = process.stdout.readline()
        assert first.startswith("tick 1:"), first
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, out
    assert "stopped after" in out.splitlines()[-1]
