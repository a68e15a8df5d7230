"""Issue #21 item 1's acceptance in real Chromium: a land official imports a GeoPackage through
/nhap-du-lieu/ (sign in, upload, the suggested mapping, a dry run, the refused rows downloaded, the
confirmed load run by the queue's worker), and `ioc import` of the same file with the same mapping
gives the same rows."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from own_connection import committed
from shapely.geometry import box
from wall import TIMEOUT

from etl.models import ImportReport
from layers.models import AdminUnit, FeatureHistory, Parcel
from spatial.config import DatabaseConfig

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
USER, PASSWORD, SHEET = "diachinh.dongtam", "toancanh-demo", 951
FREE_CELL = """
SELECT x, y FROM layers_adminunit u,
       generate_series(ST_XMin(u.geom)::numeric, ST_XMax(u.geom)::numeric, 0.0005) x,
       generate_series(ST_YMin(u.geom)::numeric, ST_YMax(u.geom)::numeric, 0.0005) y
 WHERE u.id = %s
   AND ST_CoveredBy(ST_MakeEnvelope(x - 0.0003, y - 0.0003, x + 0.0008, y + 0.0008, 4326), u.geom)
   AND NOT EXISTS (SELECT 1 FROM layers_parcel p
                    WHERE p.geom && ST_MakeEnvelope(x - 0.0001, y - 0.0001, x + 0.0006, y + 0.0006, 4326))
 ORDER BY y, x LIMIT 1
"""
COUNTS = "ds => Object.fromEntries(ds.map(d => [d.dataset.count, Number(d.textContent)]))"
ROWS_SQL = """SELECT sheet_no, parcel_no, land_use, owner_type, address, ward_id, area_m2, ST_AsEWKB(geom)
              FROM layers_parcel WHERE sheet_no = %s ORDER BY parcel_no"""


@contextmanager
def imports_worker(folder: Path) -> Iterator[None]:
    """`ioc procrastinate worker --queues imports` on the test database, as scripts/up.sh runs it."""
    env = {**{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DATABASE_URL": DatabaseConfig.of_django().as_url()}
    with open(folder / "worker.log", "wb") as log:
        command = [sys.executable, "-m", "ioc.cli", "procrastinate", "worker", "--queues", "imports"]
        worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def parcels_file(folder: Path) -> Path:
    """Rows 1-2: new lots in Đồng Tâm, written the cadastre's way (SO_TO, MDSD as a label …); row 3
    overlaps row 1."""
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    with connection.cursor() as cursor:
        cursor.execute(FREE_CELL, [ward.pk])
        x, y = (float(v) for v in cursor.fetchone())
    lots = [box(x, y, x + 0.00009, y + 0.00009), box(x + 0.0001, y, x + 0.00019, y + 0.00009),
            box(x + 0.00002, y + 0.00002, x + 0.00008, y + 0.00008)]
    rows = [{"SO_TO": SHEET, "SO_THUA": n + 1, "MDSD": use, "MA_XA": ward.code,
             "DIA_CHI": f"Số {n + 1} ngõ Nhập", "LOAI_CHU": "GDC", "GHI_CHU": "đo năm 2024", "geometry": lot}
            for n, (use, lot) in enumerate(zip(["Đất ở tại đô thị", "CLN", "ODT"], lots, strict=True))]
    path = folder / "thua_dat_moi.gpkg"
    gpd.GeoDataFrame(rows, geometry="geometry", crs=4326).to_file(path, engine="pyogrio")
    return path


def stored_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(ROWS_SQL, [SHEET])
        return [(*row[:7], bytes(row[7])) for row in cursor.fetchall()]


def remove_imported() -> None:
    ids = list(Parcel.objects.filter(sheet_no=SHEET).values_list("pk", flat=True))
    Parcel.objects.filter(pk__in=ids).delete()
    FeatureHistory.objects.filter(table_name=Parcel._meta.db_table, feature_id__in=ids).delete()


def test_a_land_official_imports_a_geopackage_in_the_browser_as_the_cli_would(
        watched, server_url, tmp_path):
    page = watched.page
    path = parcels_file(tmp_path)
    uploads = Path(settings.MEDIA_ROOT) / "imports"
    before = set(uploads.iterdir()) if uploads.exists() else set()
    try:
        with imports_worker(tmp_path):
            page.goto(f"{server_url}/nhap-du-lieu/")
            page.wait_for_function("() => document.body.dataset.ready || document.body.dataset.error",
                                   timeout=TIMEOUT)
            assert page.evaluate("document.body.dataset.error") is None, watched.errors
            page.wait_for_selector("#sign-in", timeout=TIMEOUT)
            page.fill("#sign-in [name=username]", USER)
            page.fill("#sign-in [name=password]", PASSWORD)
            page.click("#sign-in button[type=submit]")  # the page reloads signed in
            page.wait_for_selector("#upload, .notice.error", timeout=TIMEOUT)
            assert page.query_selector(".notice.error") is None, page.text_content(".notice.error")
            assert page.text_content("#user") == USER
            page.set_input_files("#upload [name=file]", str(path))
            page.click("#upload button[type=submit]")
            page.wait_for_selector("#choose", timeout=TIMEOUT)
            assert page.eval_on_selector_all("#choose [name=layer] option", "os => os.map(o => o.value)") == \
                ["parcels", "zoning", "buildings"]
            page.click("#choose button[type=submit]")
            page.wait_for_selector("#mapping", timeout=TIMEOUT)

            # the suggestions: synonyms of the cadastre's column names, a label recoded to its code
            chosen = page.eval_on_selector_all(
                "select[data-column]", "ss => Object.fromEntries(ss.map(s => [s.dataset.column, s.value]))")
            assert chosen == {"SO_TO": "sheet_no", "SO_THUA": "parcel_no", "MDSD": "land_use",
                              "MA_XA": "ward_code", "DIA_CHI": "address", "LOAI_CHU": "owner_type",
                              "GHI_CHU": ""}
            recode = "select[data-recode-field=land_use][data-value='Đất ở tại đô thị']"
            assert page.input_value(recode) == "ODT"
            assert page.eval_on_selector_all("#run [name=mode] option", "os => os.map(o => o.value)") == \
                ["append", "upsert"]  # no replace for a land official
            page.check("#run [name=load_valid]")
            page.click("#dry-run")
            page.wait_for_selector("#dry-run-report", timeout=TIMEOUT)
            counts = page.eval_on_selector_all("#dry-run-report [data-count]", COUNTS)
            assert counts == {"inserted": 2, "updated": 0, "unchanged": 0, "deleted": 0, "refused": 1}
            refusal = page.text_content("#dry-run-report tr[data-row='3']")
            assert "geometry overlaps row 1 of the file" in refusal

            # the refused rows as a GeoPackage with their reasons
            href = page.get_attribute("#dry-run-report .refused-link", "href")
            with page.expect_download() as download:
                page.click("#dry-run-report .refused-link")
            refused = gpd.read_file(io.BytesIO(Path(download.value.path()).read_bytes()))
            assert list(refused["row"]) == [3] and list(refused["SO_THUA"]) == [3]
            assert refused["reason"].iloc[0].startswith("geometry overlaps row 1 of the file by ")

            # the same mapping, by the CLI: the same counts
            upload_id = href.split("/")[3]
            mapping = Path(settings.MEDIA_ROOT) / "imports" / upload_id / "mapping.json"
            assert json.loads(mapping.read_text())["values"] == {"land_use": {"Đất ở tại đô thị": "ODT"}}
            out = io.StringIO()
            call_command("import", str(path), layer="parcels", mapping=mapping, load_valid=True, dry_run=True,
                         stdout=out)
            assert "thêm / inserted: 2" in out.getvalue() and "từ chối / refused: 1" in out.getvalue()

            page.click("#confirm")
            page.wait_for_selector("#result[data-status=loaded]", timeout=TIMEOUT)
            assert page.text_content("#load-report [data-count=inserted]") == "2"
        assert not watched.errors and not watched.outside
        loaded = stored_rows()
        assert [(row[1], row[2]) for row in loaded] == [(1, "ODT"), (2, "CLN")]

        # the same file by the CLI gives the same rows
        committed(remove_imported)
        committed(lambda: call_command("import", str(path), layer="parcels", mapping=mapping, load_valid=True,
                                       stdout=io.StringIO()))
        assert stored_rows() == loaded
    finally:
        committed(remove_imported)
        committed(lambda: ImportReport.objects.filter(source__contains="thua_dat_moi").delete())
        for folder in set(uploads.iterdir()) - before if uploads.exists() else ():
            shutil.rmtree(folder)  # the upload this test made
