"""Subprocesses started by the vision tests load the offline guard through this file (PYTHONPATH)."""

import offline_guard  # noqa: F401
