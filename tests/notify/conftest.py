"""Notification fixtures, kept in tests/jobs.py (shared with tests/alerts): committed rows, the worker run
in this process, and the notify settings pointed at the receivers of tests/receivers.py."""

from __future__ import annotations

from jobs import committed, notify_settings, run_jobs  # noqa: F401  (fixtures)
