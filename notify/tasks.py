"""Queue tasks (procrastinate, autodiscovered by procrastinate.contrib.django): one job per delivery on
the "notify" queue, retried with exponential backoff; `ioc procrastinate worker --queues notify` runs them."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from procrastinate import BaseRetryStrategy, JobContext, RetryDecision, RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.jobs import Job

from notify import mail, mqtt, webhooks
from notify.errors import DeliveryCancelled, DeliveryFailed
from notify.models import Delivery

logger = logging.getLogger(__name__)

QUEUE = "notify"
SENDERS = {
    Delivery.Channel.WEBHOOK: webhooks.send,
    Delivery.Channel.MQTT: mqtt.send,
    Delivery.Channel.EMAIL: mail.send,
}


class Backoff(BaseRetryStrategy):
    """procrastinate's RetryStrategy with the figures of settings.NOTIFY (IOC_NOTIFY_ATTEMPTS and
    IOC_NOTIFY_BACKOFF_S), read at each failure: the n-th retry waits backoff_s ** n seconds
    (4 s, 16 s, 64 s … by default, about 6 h over 8 attempts). Only failed attempts are retried."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        config = settings.NOTIFY
        strategy = RetryStrategy(max_attempts=config.attempts - 1, exponential_wait=config.backoff_s,
                                 retry_exceptions=[DeliveryFailed])
        return strategy.get_retry_decision(exception=exception, job=job)


@app.task(name="notify_deliver", queue=QUEUE, pass_context=True, retry=Backoff())
def deliver(context: JobContext, delivery_id: int) -> None:
    """One attempt at one delivery; a failed attempt is recorded and raised, so the queue retries it."""
    delivery = Delivery.objects.select_related("event", "endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return  # deleted with its event, delivered (by a worker that died before finishing), or given up
    delivery.attempts += 1
    try:
        code = SENDERS[delivery.channel](delivery)
    except DeliveryCancelled as exc:
        _record(delivery, Delivery.Status.FAILED, None, str(exc))
        logger.warning("delivery %s (%s) cancelled: %s", delivery.id, delivery, exc)
        return
    except DeliveryFailed as exc:
        final = context.job.attempts + 1 >= settings.NOTIFY.attempts
        status = Delivery.Status.FAILED if final else Delivery.Status.PENDING
        _record(delivery, status, exc.status_code, str(exc))
        logger.warning("delivery %s (%s), attempt %d%s: %s", delivery.id, delivery, delivery.attempts,
                       " (the last)" if final else "", exc)
        raise
    _record(delivery, Delivery.Status.DELIVERED, code, "")
    logger.info("delivery %s (%s) delivered at attempt %d", delivery.id, delivery, delivery.attempts)


def _record(delivery: Delivery, status: str, code: int | None, error: str) -> None:
    delivery.status, delivery.last_status_code, delivery.last_error = status, code, error[:2000]
    if status == Delivery.Status.DELIVERED:
        delivery.delivered_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "last_status_code", "last_error", "delivered_at",
                                 "updated_at"])
