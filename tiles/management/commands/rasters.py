"""`ioc rasters`: generate the demo orthophoto and zoning-plan COGs, MapProxy's config, and seed."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiles.raster.build import build_rasters
from tiles.raster.catalog import RASTERS
from tiles.raster.errors import RasterError
from tiles.raster.mapproxy_config import GRID, SEED_TO_LEVEL, write_configs
from tiles.raster.paths import RasterPaths
from tiles.raster.seeding import seed


class Command(BaseCommand):
    help = ("Sinh ảnh trực giao và bản quét quy hoạch (COG), cấu hình MapProxy, và nạp sẵn bộ đệm ảnh. "
            "Generate the orthophoto and zoning-plan COGs and the MapProxy configuration; --seed fills "
            "the tile cache.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="regenerate rasters that exist already (their tile caches are emptied)")
        parser.add_argument("--seed", action="store_true", help="seed the tile caches after generating")
        parser.add_argument("--seed-to", type=int, default=SEED_TO_LEVEL, metavar="LEVEL",
                            help=f"last zoom level to seed (default {SEED_TO_LEVEL})")
        parser.add_argument("--concurrency", type=int, default=2, help="seeding processes (default 2)")
        parser.add_argument("--resolution", type=float, default=None, metavar="METRES",
                            help="pixel size in map metres for every layer (default: each layer's own)")

    def handle(self, *args: object, **options: object) -> None:
        paths = RasterPaths.from_settings()
        try:
            self._generate(paths, force=bool(options["force"]), resolution=options["resolution"])
            if options["seed"]:
                self._seed(paths, int(options["seed_to"]), int(options["concurrency"]),
                           verbose=int(options["verbosity"]) >= 2)
        except RasterError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("served at /mapproxy/: WMS /mapproxy/service?, WMTS "
                          "/mapproxy/wmts/1.0.0/WMTSCapabilities.xml, XYZ "
                          f"/mapproxy/tiles/<layer>/{GRID}/{{z}}/{{x}}/{{y}}.png; layers: "
                          + ", ".join(layer.id for layer in RASTERS))

    def _generate(self, paths: RasterPaths, *, force: bool, resolution: float | None) -> None:
        for result in build_rasters(paths, force=force, resolution=resolution):
            size = result.path.stat().st_size / 1e6
            if result.built:
                self.stdout.write(f"  {result.layer.id:<12} generated in {result.seconds:5.1f} s, "
                                  f"{size:5.1f} MB  {result.path}")
            else:
                self.stdout.write(f"  {result.layer.id:<12} already present ({size:.1f} MB; --force "
                                  f"regenerates)  {result.path}")
        changed = write_configs(paths, demo=settings.DEBUG)
        self.stdout.write(f"MapProxy configuration {'written' if changed else 'unchanged'}: "
                          f"{paths.mapproxy_yaml}, {paths.seed_yaml}")

    def _seed(self, paths: RasterPaths, to_level: int, concurrency: int, *, verbose: bool) -> None:
        clock = time.perf_counter()
        out = self.stdout if verbose else None
        for result in seed(paths, to_level=to_level, concurrency=concurrency, out=out):
            self.stdout.write(f"  {result.layer_id:<12} {result.tiles:>6} tiles cached "
                              f"(seeded to level {to_level} in {result.seconds:.1f} s)")
        self.stdout.write(f"seeding done in {time.perf_counter() - clock:.1f} s")
