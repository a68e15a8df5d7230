"""The feedback jobs on the queue: deadline warnings and escalation every five minutes."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from feedback.sla import check_deadlines

logger = logging.getLogger(__name__)
QUEUE = "feedback"


@app.periodic(cron="*/5 * * * *")
@app.task(name="feedback_check_deadlines", queue=QUEUE, queueing_lock="feedback_check_deadlines")
def check_deadlines_job(timestamp: int) -> None:
    """Warn at 75 % and escalate at 100 % of each open report's working time (once each)."""
    warned, escalated = check_deadlines()
    if warned or escalated:
        logger.info("deadlines: %d warned, %d escalated", warned, escalated)
