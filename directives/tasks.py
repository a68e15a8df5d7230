"""The directives' job on the queue: escalate overdue directives, every five minutes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate.contrib.django import app

from directives.escalation import check_overdue

logger = logging.getLogger(__name__)
QUEUE = "directives"


@app.periodic(cron="*/5 * * * *")
@app.task(name="directives_check_overdue", queue=QUEUE, queueing_lock="directives_check_overdue")
def check_overdue_job(timestamp: int) -> None:
    """Escalate the directives overdue at the job's scheduled time (`timestamp`), once each."""
    escalated = check_overdue(datetime.fromtimestamp(timestamp, tz=UTC))
    if escalated:
        logger.info("directives: %d escalated", escalated)
