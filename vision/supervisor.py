"""Keep N queue workers alive: restart any that dies, and put the jobs of dead workers back in the queue.

procrastinate does not restart a killed process, and a job whose worker died stays "doing" until
someone retries it. This supervisor (or systemd / the container runtime) does the first; it does the
second every few seconds, so a stream resumes from its checkpoint within the stalled timeout.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from django.conf import settings
from procrastinate.contrib.django import app

from vision.tasks import QUEUE, retry_stalled_jobs

logger = logging.getLogger(__name__)


def worker_command(queue: str = QUEUE) -> list[str]:
    """One worker process: one stream at a time (a stream needs a core)."""
    return [
        sys.executable,
        "-m",
        "ioc.cli",
        "procrastinate",
        "worker",
        "--queues",
        queue,
        "--concurrency",
        "1",
        "--delete-jobs",
        "successful",
    ]


async def _retry(stalled_s: float) -> list[int]:
    async with app.open_async():
        return await retry_stalled_jobs(app.job_manager, stalled_s)


class Supervisor:
    def __init__(
        self, processes: int, check_s: float = 2.0, spawn: Callable[[], subprocess.Popen] | None = None
    ):
        self.processes, self.check_s = processes, check_s
        self.spawn = spawn or (lambda: subprocess.Popen(worker_command()))
        self.children: list[subprocess.Popen] = []
        self.stopping = False

    def _top_up(self) -> None:
        for child in [c for c in self.children if c.poll() is not None]:
            logger.warning("worker %s exited with %s; starting another", child.pid, child.returncode)
            self.children.remove(child)
        while len(self.children) < self.processes:
            child = self.spawn()
            logger.info("started worker %s", child.pid)
            self.children.append(child)

    def stop(self, *_args) -> None:
        self.stopping = True

    def run(self, until: Callable[[], bool] = lambda: False) -> None:
        """Supervise until SIGTERM/SIGINT (or `until()`), then stop the workers."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        stalled_s = settings.VISION.stalled_s
        try:
            while not self.stopping and not until():
                self._top_up()
                asyncio.run(_retry(stalled_s))
                time.sleep(self.check_s)
        finally:
            for child in self.children:
                child.terminate()
            for child in self.children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
