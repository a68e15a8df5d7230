"""`ioc import FILE --layer LAYER`: load a GIS file or table into a layer, all-or-nothing or
(--load-valid) the valid rows, with the refused ones written to a file (--refused)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from etl.errors import EtlError, ImportRejected
from etl.options import MODES, ImportOptions


class Command(BaseCommand):
    starts_light = True  # its arguments are read before the application loads (ioc.cli)
    # no system checks on every run (about a second): `ioc check` and the server run them
    requires_system_checks: list[str] = []
    help = (
        "Nhập tệp GeoPackage, Shapefile (.zip), GeoJSON, FlatGeobuf, CSV hoặc XLSX vào một lớp. "
        "Import a file into a layer; nothing is written unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--layer", required=True,
                            help="layer id (e.g. parcels), parcel_owners, citizen_reporters or observations")
        parser.add_argument("--crs", help="source CRS when the file has none or a wrong one: "
                            "EPSG:4326, EPSG:9208, vn2000:yen-bai, vn2000:15 …")
        parser.add_argument("--mode", choices=MODES, default="append")
        parser.add_argument("--mapping", type=Path, help="YAML/JSON column mapping file")
        parser.add_argument("--source-layer", help="layer or sheet to read in a multi-layer file")
        parser.add_argument("--repair", action="store_true",
                            help="repair invalid geometries with make_valid instead of refusing them")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument("--for-layer", help="with --layer observations: the layer of a wide table "
                            "(one column per metric)")
        parser.add_argument("--actor", default="", help="who is importing (recorded in history)")
        parser.add_argument("--load-valid", action="store_true",
                            help="load the valid rows and refuse only the others (default: all or nothing)")
        parser.add_argument("--refused", type=Path, metavar="FILE",
                            help="write the refused rows with a reason column to FILE (.gpkg or .csv)")

    def handle(self, *args: object, **options: object) -> None:
        from etl.importer import import_file  # (the engine loads the application's models)
        from etl.observations import import_observations

        progress = (lambda message: self.stderr.write(f"  … {message}")) if options["verbosity"] else None
        opts = ImportOptions(
            layer=options["layer"], mode=options["mode"], crs=options["crs"],
            mapping=options["mapping"], dry_run=options["dry_run"], repair=options["repair"],
            source_layer=options["source_layer"], actor=options["actor"] or "cli:import",
            progress=progress, load_valid=options["load_valid"], refused_path=options["refused"],
        )
        try:
            if opts.layer == "observations":
                report = import_observations(options["file"], opts, options["for_layer"])
            else:
                report = import_file(options["file"], opts)
        except ImportRejected as exc:
            self.stderr.write(exc.report.summary())
            raise CommandError(str(exc)) from exc
        except EtlError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
