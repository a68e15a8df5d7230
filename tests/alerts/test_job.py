"""The periodic job: every minute on the `alerts` queue, evaluating at its scheduled time (not the worker's
clock), one at a time (queueing lock)."""

from __future__ import annotations

import pytest
from alert_data import HOUR, T0
from procrastinate.contrib.django import app

from alerts.models import Alert
from alerts.tasks import QUEUE, evaluate_job

pytestmark = pytest.mark.django_db


def test_the_job_runs_every_minute_on_the_alerts_queue():
    task = app.tasks["alerts_evaluate"]
    assert (task.queue, task.queueing_lock, QUEUE) == ("alerts", "alerts_evaluate", "alerts")
    assert any(p.task.name == "alerts_evaluate" and p.cron == "* * * * *"
               for p in app.periodic_registry.periodic_tasks.values())


def test_the_job_evaluates_at_its_scheduled_time(aqi_rule, station, observe):
    observe(station, [160, 170])
    evaluate_job(int((T0 + HOUR).timestamp()))
    assert Alert.objects.get().opened_at == T0 + HOUR
