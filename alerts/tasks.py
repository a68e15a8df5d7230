"""The alerts job on the queue: every minute, every active rule evaluated at the scheduled minute."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate.contrib.django import app

from alerts.evaluate import evaluate_all

logger = logging.getLogger(__name__)
QUEUE = "alerts"


@app.periodic(cron="* * * * *")
@app.task(name="alerts_evaluate", queue=QUEUE, queueing_lock="alerts_evaluate")
def evaluate_job(timestamp: int) -> None:
    """Open, refresh and clear alerts as of the job's scheduled time (its clock, not the worker's)."""
    outcome = evaluate_all(datetime.fromtimestamp(timestamp, UTC))
    logger.info("alerts evaluated in %.2f s: %d opened, %d cleared, %d skipped", outcome.seconds,
                len(outcome.opened), len(outcome.cleared), len(outcome.skipped))
