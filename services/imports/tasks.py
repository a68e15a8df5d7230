"""The browser import's job on the queue `imports`: one dry run or load of an upload."""

from __future__ import annotations

from procrastinate.contrib.django import app

from services.imports import runs

QUEUE = "imports"


@app.task(name="imports_run", queue=QUEUE)
def run_job(upload_id: str, kind: str) -> None:
    """Run the dry run or load (`kind`) of upload `upload_id`; the outcome goes to its state."""
    runs.run(upload_id, kind)
