"""`ioc layers describe LAYER`: the columns an import file for a layer may carry, with their types,
whether each is required, and their codes (from the registry and the layer's model)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from etl.errors import EtlError


class Command(BaseCommand):
    starts_light = True  # its arguments are read before the application loads (ioc.cli)
    # no system checks on every run (about a second): `ioc check` and the server run them
    requires_system_checks: list[str] = []
    help = ("Mô tả các cột của một lớp khi nhập dữ liệu. "
            "Describe a layer's import columns: type, required, codes (`ioc layers describe parcels`).")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        describe = actions.add_parser("describe", help="list a layer's fields, types, required and codes")
        describe.add_argument("layer", help="a layer id (parcels, schools …), parcel_owners or "
                              "citizen_reporters")

    def handle(self, *args: object, **options: object) -> None:
        from etl.describe import describe_target  # (it reads the layer registry and models)
        from etl.targets import get_target

        try:
            description = describe_target(get_target(str(options["layer"])))
        except EtlError as exc:
            raise CommandError(str(exc)) from exc
        target = description.target
        self.stdout.write(f"{target.name}: key {', '.join(target.key) or '-'}")
        if description.geometry:
            self.stdout.write(f"  geometry  {description.geometry} (required; a GIS file's geometry, "
                              "lon/lat or x/y columns, or a WKT column)")
        for column in description.columns:
            required = "bắt buộc / required" if column.required else "tùy chọn / optional"
            default = "" if column.default in (None, "") else f"; default {column.default}"
            self.stdout.write(f"  {column.name}  {column.type}  {required}{default}  — {column.label}")
            if column.note:
                self.stdout.write(f"      {column.note}")
            for code, label in column.codes:
                self.stdout.write(f"      {code}  {label}")
