"""The working calendar as entered: CalendarDay and OfficeHours rows read once and kept per process."""

from __future__ import annotations

import threading
import time

from django.db import transaction

from workdays.calendar import WorkingCalendar
from workdays.models import CalendarDay, OfficeHours

# This process forgets its calendar when it saves a row (signals, see apps.py); other processes (web
# workers, the job worker) read the rows again after this many seconds.
RELOAD_SECONDS = 300.0


class _Kept:
    lock = threading.Lock()
    calendar: WorkingCalendar | None = None
    loaded_at = 0.0


def working_calendar() -> WorkingCalendar:
    """The calendar with the entered days and office hours (two queries at most every RELOAD_SECONDS;
    its years are worked out once, so deadlines ask the database nothing)."""
    with _Kept.lock:
        if _Kept.calendar is None or time.monotonic() - _Kept.loaded_at > RELOAD_SECONDS:
            _Kept.calendar, _Kept.loaded_at = load(), time.monotonic()
        return _Kept.calendar


def load() -> WorkingCalendar:
    """A calendar built from the rows as they are now."""
    decisions = [row.decision for row in CalendarDay.objects.all()]
    schedules = [row.schedule for row in OfficeHours.objects.all()]
    return WorkingCalendar(decisions, schedules) if schedules else WorkingCalendar(decisions)


def forget(**_signal: object) -> None:
    """Drop the kept calendar: the next `working_calendar()` reads the rows again (tests that save rows
    in a transaction they roll back call it afterwards)."""
    with _Kept.lock:
        _Kept.calendar = None


def rows_changed(**_signal: object) -> None:
    """A row was saved or deleted: forget now, and again once its transaction commits."""
    forget()
    transaction.on_commit(forget)
