"""A queue worker SIGKILLed mid-stream is restarted and resumes from its checkpoint: no stored detection
is lost and none is duplicated (compared with an uninterrupted run of the same video)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from vision.stream import TRACK_ID_SPAN

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
KILL_AT_FRAMES = (100, 260)
# a pause per frame, so that the kills land mid-stream: 140 frames are left after the last one (at least
# 1.4 s while the test polls every 0.2 s); 0.03 s made the 400 frames last 12 s longer than needed
THROTTLE_S = 0.01
ROWS = f"""
SELECT extract(epoch FROM d.observed_at - r.started_at)::numeric(10, 3), d.track_id %% {TRACK_ID_SPAN},
       d.object_class, round(ST_X(d.geom)::numeric, 8), round(ST_Y(d.geom)::numeric, 8)
  FROM layers_detection d
  JOIN vision_stream_run r ON r.camera_id = d.camera_id AND r.id = d.track_id / {TRACK_ID_SPAN}
 WHERE r.id = %s
"""


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.fixture(scope="module")
def queued(make_camera, acceptance_video, media_root, shipped_model, django_db_blocker):
    """An uninterrupted reference run of the video, and the same video queued on the same camera."""
    from vision import runs
    from vision.tasks import defer_run

    camera = make_camera("VISION-KILL")
    video, _truth = acceptance_video
    with django_db_blocker.unblock():
        reference = runs.create_run(camera.id, str(video), START)
        runs.execute(reference.id)
        killed = runs.create_run(camera.id, str(video), START + timedelta(days=1))
        defer_run(killed.id, camera.id, throttle_s=THROTTLE_S)
    return reference, killed


def test_killed_worker_loses_and_duplicates_nothing(
    queued, database_url, shipped_model, tmp_path, guarded_env
):
    reference, killed = queued

    env = guarded_env(
        DATABASE_URL=database_url.replace("postgresql://", "postgres://"),
        IOC_VISION_STALLED_S="3",
        IOC_VISION_HEARTBEAT_S="1",
        IOC_MEDIA_ROOT=str(tmp_path),
        IOC_VISION_WEIGHTS=str(shipped_model),
    )
    log = open(tmp_path / "supervisor.log", "wb")  # noqa: SIM115
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "ioc.cli", "vision", "worker", "--processes", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    conn = psycopg.connect(database_url, autocommit=True)

    def progress() -> tuple[int, bool]:
        next_frame, finished = conn.execute(
            "SELECT next_frame, finished_at IS NOT NULL FROM vision_stream_run WHERE id = %s", [killed.id]
        ).fetchone()
        return next_frame, finished

    try:
        for frame in KILL_AT_FRAMES:
            _wait(lambda f=frame: progress()[0] >= f, 90, f"the checkpoint to reach frame {frame}")
            workers = _wait(lambda: _children(supervisor.pid), 10, "a worker process")
            os.kill(workers[0], signal.SIGKILL)
        _wait(lambda: progress()[1], 120, "the killed run to finish")
        expected = set(conn.execute(ROWS, [reference.id]).fetchall())
        got = conn.execute(ROWS, [killed.id]).fetchall()
    finally:
        conn.close()
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=30)
        log.close()
    output = (tmp_path / "supervisor.log").read_text()
    resumed = [line.split("resumes at ")[1] for line in output.splitlines() if "resumes at frame" in line]
    print(
        f"reference rows {len(expected)}, after two SIGKILLs {len(got)} ({len(set(got))} distinct); "
        f"resumed at {resumed}"
    )
    assert "resumes at frame 0" in output and output.count("resumes at frame") >= 3
    assert len(got) == len(set(got)), "a detection was stored twice"
    assert set(got) == expected, f"{len(expected - set(got))} lost, {len(set(got) - expected)} different"
    assert "NETWORK-ATTEMPT" not in output
