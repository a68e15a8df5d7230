"""Queue tasks (procrastinate, autodiscovered by procrastinate.contrib.django): one job per camera stream,
plus housekeeping: retry the jobs of dead workers, purge old evidence and detection partitions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from procrastinate import JobContext
from procrastinate.contrib.django import app

from layers.partitions import drop_partitions_before
from vision import runs

logger = logging.getLogger(__name__)

QUEUE = "vision"


@app.task(name="vision_stream", queue=QUEUE, pass_context=True)
def vision_stream(context: JobContext, run_id: int, throttle_s: float = 0.0, repeat: bool = False) -> None:
    """Process one run (a camera's stream or file) from its checkpoint; `repeat` plays a file again (demo)."""
    logger.info("job %s: run %s, attempt %s", context.job.id, run_id, context.job.attempts)
    runs.execute(run_id, throttle_s)
    if repeat:
        finished = runs.StreamRun.objects.get(pk=run_id)
        again = runs.create_run(finished.camera_id, finished.source)
        defer_run(again.id, finished.camera_id, throttle_s, repeat)


def defer_run(run_id: int, camera_id: int, throttle_s: float = 0.0, repeat: bool = False) -> int:
    """Queue a run; one job per camera at a time (lock and queueing lock on the camera)."""
    key = f"camera:{camera_id}"
    return vision_stream.configure(lock=key, queueing_lock=key).defer(
        run_id=run_id, throttle_s=throttle_s, repeat=repeat
    )


async def retry_stalled_jobs(job_manager, stalled_s: float) -> list[int]:
    """Put back in the queue the jobs whose worker stopped sending heartbeats (it died)."""
    retried = []
    for job in await job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_s):
        await job_manager.retry_job(job)
        retried.append(job.id)
    if retried:
        logger.warning("retried stalled jobs %s", retried)
    return retried


@app.periodic(cron="*/1 * * * *")
@app.task(name="vision_retry_stalled", queue=QUEUE, queueing_lock="vision_retry_stalled", pass_context=True)
async def retry_stalled(context: JobContext, timestamp: int) -> None:
    """Every minute, on any worker with a free slot (the supervisor also does it every few seconds)."""
    await retry_stalled_jobs(context.app.job_manager, settings.VISION.stalled_s)


@app.periodic(cron="17 3 * * *")
@app.task(name="vision_purge", queue=QUEUE, queueing_lock="vision_purge")
def purge(timestamp: int) -> None:
    """Daily retention: evidence files by age, detections by whole monthly partitions."""
    config = settings.VISION
    from vision import evidence  # (OpenCV loads here, not at every start-up)

    evidence.purge(settings.MEDIA_ROOT, config.evidence_days)
    drop_partitions_before(datetime.now(UTC) - timedelta(days=config.detection_days))
