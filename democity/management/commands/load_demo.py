"""`ioc load_demo`: generate the synthetic demo city and load it through the importers, once."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from democity.alerts import load as load_alerts
from democity.directives import write_histories as directive_histories
from democity.generator import generate
from democity.health import load as load_health
from democity.histories import write_histories
from democity.indicators import load as load_indicators
from democity.models import DemoCity
from democity.reporting import load as load_reporting
from democity.reporting import make_departments
from democity.response import load_response
from democity.units import assign_reports, create_units
from etl.errors import EtlError, ImportRejected
from etl.importer import ImportOptions, import_file
from etl.observations import import_observations
from layers.models import AdminUnit
from spatial.config import STATE_DIR


class Command(BaseCommand):
    help = "Sinh và nạp dữ liệu demo (tổng hợp). Generate and load the synthetic demo city."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=STATE_DIR / "demo")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="the demo's 'today' (events cover the 90 days before it)")

    def handle(self, *args: object, **options: object) -> None:
        if AdminUnit.objects.exists():
            demo = DemoCity.objects.order_by("-loaded_at").first() or "demo city"
            self.stdout.write(f"{demo} already loaded (the database holds administrative units)")
            return
        today = options["today"] or timezone.localdate()
        clock = time.perf_counter()
        files = generate(options["dir"], today)
        self.stdout.write(f"demo files written to {options['dir']} in {time.perf_counter() - clock:.1f} s")
        units = 0
        for name, path in files.items():
            opts = ImportOptions(layer=name, actor="demo:load",
                                 progress=lambda message: self.stderr.write(f"    {message}"))
            try:
                if name == "observations":
                    report = import_observations(path, opts)
                else:
                    report = import_file(path, opts)
            except ImportRejected as exc:
                self.stderr.write(exc.report.summary())
                raise CommandError(str(exc)) from exc
            except EtlError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            self.stdout.write(f"  {name:<18} {report.rows_loaded:>8,} rows  {report.duration_s:6.2f} s")
            if not units and AdminUnit.objects.exists():  # units are made of the communes (the first
                units = create_units()                    # layer), before the layers naming a unit
                self.stdout.write(f"  {'units':<18} {units:>8,} rows (with routing rules and policies)")
        self.stdout.write(f"  {'':<18} {assign_reports():>8,} reports given the unit routing gives them")
        until = min(DemoCity(today=today).window().end, timezone.now())  # the demo's end
        self.stdout.write(f"  {'':<18} {write_histories(until):>8,} reports given their workflow history")
        self.stdout.write(f"  {'':<18} {directive_histories(today):>8,} directives given their history")
        self.stdout.write(f"  {'alerts':<18} {load_alerts(until):>8,} alerts open at the demo's end")
        self.stdout.write(f"  {'':<18} {load_response(until)[1]:>8,} incidents with a response in flight")
        self.stdout.write(f"  {'':<18} {make_departments():>8,} more departments (reporting)")
        self.stdout.write(f"  {'indicators':<18} {load_indicators(today):>8,} indicator values and targets")
        self.stdout.write(f"  {'':<18} {load_reporting(today):>8,} departments' monthly values (reporting)")
        self.stdout.write(f"  {'epidemic':<18} {load_health(today):>8,} commune-days and sites (synthetic)")
        DemoCity.objects.create(today=today, loaded_at=timezone.now())  # its dates, for whatever must agree
        with connection.cursor() as cursor:  # statistics, row estimates, visibility map (index-only scans)
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"demo city loaded in {time.perf_counter() - clock:.1f} s")
