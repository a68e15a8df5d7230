"""The briefings' job on the queue: every day at 00:00 UTC (07:00 in Vietnam), the weekly briefings of the
week ended (on Mondays) and the monthly ones of the month ended (on the 1st), once each."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)
QUEUE = "briefings"


@app.periodic(cron="0 0 * * *")
@app.task(name="briefings_send", queue=QUEUE, queueing_lock="briefings_send")
def send_briefings_job(timestamp: int) -> None:
    """Send the briefings due at the job's scheduled time (`timestamp`), each once."""
    from briefings.sending import send_due  # (PDF, charts and XLSX load here, not at every start-up)

    sent = send_due(datetime.fromtimestamp(timestamp, tz=UTC))
    if sent:
        logger.info("briefings: %d sent", sent)
