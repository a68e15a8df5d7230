"""`ioc feedback_flow`: the demo's steady flow of citizen reports (democity.flow) until stopped.

ioc feedback_flow [--every 20] [--seed 0] [--ticks N]

A new report every `--every` seconds, and some of the flow's open reports moved one step. SIGINT or
SIGTERM stops it between ticks (a tick in progress finishes). scripts/up.sh starts it beside the
cameras' synthetic video.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError, CommandParser

from democity.flow import Flow, FlowSettings
from layers.models import ResponsibleUnit

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = ("Dòng phản ánh tổng hợp khi chạy demo. A steady synthetic flow of citizen reports while the "
            "demo runs.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=FlowSettings.every,
                            help=f"seconds between two reports (default {FlowSettings.every:g})")
        parser.add_argument("--seed", type=int, default=FlowSettings.seed)
        parser.add_argument("--ticks", type=int, default=None, help="stop after this many reports")
        parser.add_argument("--max-moves", type=int, default=FlowSettings.max_moves,
                            help="open reports moved one step at most per tick")

    def handle(self, *args: object, every: float, seed: int, ticks: int | None, max_moves: int,
               **options: object) -> None:
        if ticks is not None and ticks < 1:
            raise CommandError("--ticks: at least 1")
        try:
            settings = FlowSettings(every=every, seed=seed, max_moves=max_moves)
        except ValueError as error:
            raise CommandError(f"--every, --max-moves: {error}") from error
        if not ResponsibleUnit.objects.exists():
            raise CommandError("no units to route reports to: load the demo first (ioc load_demo)")
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():  # signals reach the main thread only
            for number in STOP_SIGNALS:
                signal.signal(number, lambda *_: stop.set())
        self.stdout.write(f"feedback flow: a report every {every:g} s (seed {seed}); Ctrl-C stops it")
        count = Flow(settings).run(stop, ticks, on_tick=lambda tick: self.stdout.write(str(tick)))
        self.stdout.write(f"feedback flow stopped after {count} ticks")
