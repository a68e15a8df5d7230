"""The browser import's API (/api/imports/): who may import (401, 403, a land official's layers, wards
and modes), bad files named in Vietnamese (English under ?lang=en), the mapping step's suggestions, a
dry run on the queue whose counts equal `ioc import --dry-run` on the same file, the refused rows as a
GeoPackage with a reason, a land official's row outside their wards refused naming the ward, replace
only once the deletion is confirmed."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import geopandas as gpd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from own_connection import committed
from shapely.geometry import Point, box

from etl.importer import ImportOptions, import_file
from etl.models import ImportReport
from layers.models import AdminUnit, EnvStation

pytestmark = pytest.mark.django_db
PASSWORD = "toancanh-demo"
MAPPING = {"columns": {"SO_TO": "sheet_no", "SO_THUA": "parcel_no", "MDSD": "land_use", "MA_XA": "ward_code",
                       "DIA_CHI": "address", "LOAI_CHU": "owner_type"},
           "values": {"land_use": {"Đất ở tại đô thị": "ODT"}}, "ignore": ["GHI_CHU"]}
# the south-west corner of a free 0.0005° cell inside a ward: lots drawn there overlap no parcel
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


def old_ward(name: str) -> AdminUnit:
    return AdminUnit.objects.get(name=name, level="commune", valid_to__isnull=False)


def lot(ward: AdminUnit, i: int):
    with connection.cursor() as cursor:
        cursor.execute(FREE_CELL, [ward.pk])
        x, y = (float(v) for v in cursor.fetchone())
    return box(x + i * 0.0001, y, x + (i + 0.9) * 0.0001, y + 0.00009)


@pytest.fixture
def parcels_file(tmp_path) -> Path:
    """Rows 1-2 fine in Đồng Tâm; row 3 overlaps row 1; row 4 fine, in Hồng Hà."""
    dong_tam, other = old_ward("Đồng Tâm"), old_ward("Hồng Hà")
    rows = [{"SO_TO": 950, "SO_THUA": n + 1, "MDSD": use, "MA_XA": ward.code,
             "DIA_CHI": f"Số {n + 1} ngõ Thử", "LOAI_CHU": "GDC", "GHI_CHU": "", "geometry": shape}
            for n, (ward, use, shape) in enumerate([
                (dong_tam, "Đất ở tại đô thị", lot(dong_tam, 0)), (dong_tam, "CLN", lot(dong_tam, 1)),
                (dong_tam, "ODT", lot(dong_tam, 0).buffer(-0.00001)), (other, "ODT", lot(other, 0))])]
    path = tmp_path / "thua_dat.gpkg"
    gpd.GeoDataFrame(rows, geometry="geometry", crs=4326).to_file(path, engine="pyogrio")
    return path


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads under the test's folder; the reports the worker stored (committed) removed after."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    committed(lambda: ImportReport.objects.filter(source__startswith=str(tmp_path)).delete())


def api(user: str | None, method: str, url: str, **kwargs):
    """A request as a GIS client sends it (HTTP Basic), on a connection of its own (committed), so the
    queue's worker sees what it wrote."""
    headers = {}
    if user:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    return committed(lambda: getattr(Client(), method)(url, **headers, **kwargs))


def upload(user: str, path: Path, lang: str = ""):
    with open(path, "rb") as handle:
        return api(user, "post", f"/api/imports/{lang}", data={"file": handle})


def run_queue() -> None:
    """The `imports` queue's worker in this process (as `ioc procrastinate worker --queues imports`)."""
    from procrastinate.contrib.django import app

    from services.imports.tasks import QUEUE

    def work() -> None:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(queues=[QUEUE], wait=False, listen_notify=False, concurrency=1)

    committed(work)


def dry_run(user: str, upload_id: str, lang: str = "", **options) -> dict:
    answer = api(user, "post", f"/api/imports/{upload_id}/dry-run{lang}", data=json.dumps(options),
                 content_type="application/json")
    assert answer.status_code == 202, answer.content
    assert answer.json()["status"] == "checking"
    run_queue()
    state = api(user, "get", f"/api/imports/{upload_id}").json()
    assert state["status"] == "checked", state
    return state["dry_run"]


def test_anonymous_is_401_other_roles_403_and_land_officials_get_their_layers():
    assert api(None, "get", "/api/imports/").status_code == 401
    refused = api("gis", "get", "/api/imports/")
    assert refused.status_code == 403
    assert refused.json()["description"].startswith("chỉ quản trị hệ thống, cán bộ địa chính")
    assert api("vanhanh", "get", "/api/imports/?lang=en").json()["description"] == \
        "only administrators, land officials and planners may import data"
    mine = api("diachinh.dongtam", "get", "/api/imports/").json()
    assert [layer["id"] for layer in mine["layers"]] == ["parcels", "zoning", "buildings"]
    assert mine["ward_bound"]
    everything = api("quantri", "get", "/api/imports/").json()["layers"]
    assert {"parcels", "schools", "parcel_owners"} <= {layer["id"] for layer in everything}


def test_bad_files_are_refused_naming_the_problem(tmp_path):
    text = tmp_path / "ghi_chu.txt"
    text.write_text("không phải dữ liệu")
    answer = upload("quantri", text)
    assert answer.status_code == 415
    assert answer.json()["description"].startswith("file: không đọc được loại tệp .txt của ghi_chu.txt")
    broken = tmp_path / "hong.gpkg"
    broken.write_bytes(b"SQLite format 3\x00 but not really")
    answer = upload("quantri", broken)
    assert answer.status_code == 400
    assert answer.json()["description"].startswith("file: không đọc được tệp hong.gpkg")
    english = upload("quantri", broken, "?lang=en")
    assert english.json()["description"].startswith("file: cannot read hong.gpkg: hong.gpkg: cannot be read")
    assert not list((tmp_path / "media" / "imports").iterdir())  # nothing kept of refused files


def test_the_upload_limit_is_a_413(tmp_path, parcels_file, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answer = upload("quantri", parcels_file, "?lang=en")
    assert (answer.status_code, answer.json()["description"]) == \
        (413, "file: thua_dat.gpkg is over the 0 MB limit")


def test_the_mapping_step_suggests_fields_and_codes(parcels_file):
    created = upload("diachinh.dongtam", parcels_file)
    assert created.status_code == 201, created.content
    step = api("diachinh.dongtam", "get", f"/api/imports/{created.json()['id']}/columns?layer=parcels").json()
    suggested = {c["name"]: (c["suggestion"], c["why"]) for c in step["columns"]}
    assert suggested == {"SO_TO": ("sheet_no", "synonym"), "SO_THUA": ("parcel_no", "synonym"),
                         "MDSD": ("land_use", "synonym"), "MA_XA": ("ward_code", "synonym"),
                         "DIA_CHI": ("address", "synonym"), "LOAI_CHU": ("owner_type", "synonym"),
                         "GHI_CHU": (None, "")}
    assert step["values"] == {"land_use": {"Đất ở tại đô thị": "ODT"}}
    land_use = next(f for f in step["fields"] if f["name"] == "land_use")
    assert land_use["required"] and ["ODT", "Đất ở tại đô thị / Urban residential land"] in land_use["codes"]
    mine = f"/api/imports/{created.json()['id']}"
    assert api("diachinh.dongtam", "get", mine).status_code == 200
    assert api("diachinh.hongha", "get", mine).status_code == 404  # not theirs
    assert api("diachinh.dongtam", "get", f"{mine}/columns?layer=schools").status_code == 403


def test_a_dry_run_counts_as_the_cli_and_returns_the_refused_rows(parcels_file, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False))
    cli = io.StringIO()
    call_command("import", str(parcels_file), layer="parcels", mapping=mapping, dry_run=True, load_valid=True,
                 stdout=cli)
    expected = import_file(parcels_file, ImportOptions(layer="parcels", mapping=mapping, dry_run=True,
                                                       load_valid=True)).counts
    assert "thêm / inserted: 3" in cli.getvalue() and expected["refused"] == 1

    upload_id = upload("quantri", parcels_file).json()["id"]
    checked = dry_run("quantri", upload_id, layer="parcels", mapping=MAPPING, load_valid=True)
    assert checked["counts"] == expected
    assert [p["row"] for p in checked["problems"]] == [3]
    assert checked["problems"][0]["message"].startswith("geometry overlaps row 1 of the file by ")
    assert checked["record"] is not None  # the stored report (etl.ImportReport)

    answer = api("quantri", "get", f"/api/imports/{upload_id}/refused")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('filename="thua_dat-tu-choi.gpkg"')
    back = gpd.read_file(io.BytesIO(b"".join(answer.streaming_content)))
    assert list(back["row"]) == [3] and list(back["SO_THUA"]) == [3]
    assert back["reason"].iloc[0].startswith("geometry overlaps row 1 of the file by ")


def test_a_land_officials_row_outside_their_wards_is_refused_naming_the_ward(parcels_file):
    upload_id = upload("diachinh.dongtam", parcels_file).json()["id"]
    assert api("diachinh.dongtam", "post", f"/api/imports/{upload_id}/load", data="{}",
               content_type="application/json").status_code == 409  # no dry run yet
    checked = dry_run("diachinh.dongtam", upload_id, layer="parcels", mapping=MAPPING, load_valid=True)
    assert (checked["counts"]["inserted"], checked["counts"]["refused"]) == (2, 2)
    problems = {p["row"]: p["message"] for p in checked["problems"]}
    assert problems[4] == ("ward: Hồng Hà nằm ngoài địa bàn được giao của bạn (Đồng Tâm); bạn chỉ được "
                           "nhập thửa đất trong địa bàn đó")
    english = dry_run("diachinh.dongtam", upload_id, layer="parcels", mapping=MAPPING, load_valid=True,
                      lang="?lang=en")
    assert {p["row"]: p["message"] for p in english["problems"]}[4] == (
        "ward: Hồng Hà is outside your assigned wards (Đồng Tâm); you may import land parcels only "
        "inside them")
    replace = api("diachinh.dongtam", "post", f"/api/imports/{upload_id}/dry-run?lang=en",
                  data=json.dumps({"layer": "parcels", "mode": "replace"}), content_type="application/json")
    assert replace.status_code == 403
    assert replace.json()["description"].startswith("mode: replace (delete the whole layer, then load) is")


def test_replace_shows_what_it_deletes_and_loads_only_once_confirmed(tmp_path):
    station = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    path = tmp_path / "tram.gpkg"
    centre = station.geom.point_on_surface
    gpd.GeoDataFrame([{"code": "ENV-T1", "name": "Trạm thử", "station_type": "air",
                       "geometry": Point(centre.x, centre.y)}], geometry="geometry", crs=4326).to_file(path)
    upload_id = upload("quantri", path).json()["id"]
    before = EnvStation.objects.count()
    checked = dry_run("quantri", upload_id, layer="env_stations", mode="replace")
    assert checked["counts"] == {"inserted": 1, "updated": 0, "unchanged": 0, "deleted": before, "refused": 0}
    load = f"/api/imports/{upload_id}/load?lang=en"
    for body in ({}, {"confirm_delete": before - 1}):
        answer = api("quantri", "post", load, data=json.dumps(body), content_type="application/json")
        assert answer.status_code == 409
        assert answer.json()["description"].startswith(f"confirm_delete: replace deletes {before:,} rows of "
                                                       "env_stations")
        assert answer.json()["deletes"] == before
    assert api("quantri", "get", f"/api/imports/{upload_id}").json()["status"] == "checked"  # nothing queued
    assert EnvStation.objects.count() == before
    assert api("quantri", "delete", f"/api/imports/{upload_id}").status_code == 204
    assert api("quantri", "get", f"/api/imports/{upload_id}").status_code == 404
