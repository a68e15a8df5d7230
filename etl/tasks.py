"""The harvests' job on the queue: every minute, the harvests that are due run, one after another."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate.contrib.django import app

from etl.harvest import due, run

logger = logging.getLogger(__name__)
QUEUE = "imports"  # beside the browser's imports (services.imports.tasks)


@app.periodic(cron="* * * * *")
@app.task(name="etl_harvest", queue=QUEUE, queueing_lock="etl_harvest")
def harvest_job(timestamp: int) -> None:
    """Run every harvest due at the job's scheduled minute."""
    now = datetime.fromtimestamp(timestamp, UTC)
    for harvest in due(now):
        run(harvest, now)
