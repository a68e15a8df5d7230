"""The services' jobs on the queue (procrastinate finds each app's `tasks` module)."""

from services.imports.tasks import run_job  # noqa: F401  (registers the browser import's job)
