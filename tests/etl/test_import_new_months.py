"""Detections of months the platform holds none of arrive as those months' partitions (etl.month_load):
filled in bulk, indexed in one pass, attached; the same rows, checks and refusals as an insert, the
same announcements, and a month already held is never replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from etl.errors import ImportRejected
from etl.importer import ImportOptions, import_file
from layers.models import Camera, Detection
from layers.partitions import ensure_partitions, partition_name

ROOT = Path(__file__).resolve().parents[2]
MARCH, APRIL = datetime(2019, 3, 1, tzinfo=UTC), datetime(2019, 4, 1, tzinfo=UTC)  # before the demo's data


def month_of(moment: datetime) -> str:
    from layers.partitions import LOCAL

    return partition_name(moment.astimezone(LOCAL).replace(day=1))


def partitions() -> dict[str, int]:
    """The detections' partitions by name, with their table's oid."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname, c.oid FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = 'layers_detection'::regclass")
        return dict(cursor.fetchall())


def attached_indexes(table: str) -> int:
    """How many of the table's indexes are partitions of the detections' own indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indexrelid "
                       "WHERE x.indrelid = %s::regclass", [table])
        return cursor.fetchone()[0]


def parent_indexes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = 'layers_detection'::regclass")
        return cursor.fetchone()[0]


def write_csv(path: Path, camera: Camera, place, rows: list[tuple[str, float, int]]) -> Path:
    """A detections CSV: (observed_at, confidence, track_id) per row, all at `place`."""
    lines = ["camera_code,object_class,confidence,observed_at,track_id,lon,lat"]
    lines += [f"{camera.code},car,{confidence},{moment},{track},{place.x},{place.y}"
              for moment, confidence, track in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_months_without_a_partition_arrive_as_partitions_with_every_index_and_the_shared_ids(tmp_path, ward):
    camera = Camera.objects.order_by("code").first()
    assert month_of(MARCH) not in partitions() and month_of(APRIL) not in partitions()
    path = write_csv(tmp_path / "archive.csv", camera, ward.geom.point_on_surface, [
        ("2019-03-31T23:30:00+07:00", 0.9, 1),  # still March in Hà Nội time, April in UTC
        ("2019-03-05T08:00:00+07:00", 0.8, 2),
        ("2019-04-02T08:00:00+07:00", 0.7, 3)])

    report = import_file(path, ImportOptions(layer="detections"))

    assert (report.status, report.counts["inserted"]) == ("loaded", 3)
    held = partitions()
    assert {month_of(MARCH), month_of(APRIL)} <= set(held)
    for month in (month_of(MARCH), month_of(APRIL)):
        assert attached_indexes(month) == parent_indexes() == 5
    imported = Detection.objects.filter(camera=camera, observed_at__year=2019)
    assert sorted(imported.values_list("track_id", "ward_id")) == [(1, ward.pk), (2, ward.pk), (3, ward.pk)]
    late_march, newest = imported.get(track_id=1), max(imported.values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM layers_detection WHERE id = %s", [late_march.pk])
        assert cursor.fetchone()[0] == month_of(MARCH)

    # the months are ordinary partitions now: a camera's next row takes the next id of the same
    # sequence, and the (camera, time, track) key holds in them
    following = Detection.objects.create(camera=camera, object_class="car", confidence=0.5, track_id=4,
                                         observed_at=datetime(2019, 3, 6, tzinfo=UTC), geom=late_march.geom)
    assert following.pk > newest
    with pytest.raises(IntegrityError), transaction.atomic():
        Detection.objects.create(camera=camera, object_class="car", confidence=0.5, track_id=2,
                                 observed_at=datetime(2019, 3, 5, 1, tzinfo=UTC), geom=late_march.geom)


@pytest.mark.django_db
def test_a_refused_row_leaves_no_month_behind_and_is_named(tmp_path, ward):
    camera = Camera.objects.order_by("code").first()
    path = write_csv(tmp_path / "archive.csv", camera, ward.geom.point_on_surface, [
        ("2019-03-05T08:00:00+07:00", 0.8, 1), ("2019-03-06T08:00:00+07:00", 1.5, 2)])

    with pytest.raises(ImportRejected) as refused:
        import_file(path, ImportOptions(layer="detections"))

    (problem,) = refused.value.report.problems
    assert (problem.row, problem.message) == (3, "bad value: it breaks a rule of the layer "
                                                 "(layers_detection_confidence_check)")
    assert month_of(MARCH) not in partitions()
    assert not Detection.objects.filter(observed_at__year=2019).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("load_valid", [False, True])
def test_a_row_repeating_an_earlier_one_is_refused_by_its_row_as_in_a_month_already_held(tmp_path, ward,
                                                                                      load_valid):
    """(camera, time, track) is unique: the same instant written with two offsets repeats row 2."""
    camera = Camera.objects.order_by("code").first()
    path = write_csv(tmp_path / "archive.csv", camera, ward.geom.point_on_surface, [
        ("2019-03-05T08:00:00+07:00", 0.8, 1), ("2019-03-05T09:00:00+07:00", 0.8, 2),
        ("2019-03-05T01:00:00Z", 0.9, 1)])

    if load_valid:
        report = import_file(path, ImportOptions(layer="detections", load_valid=True))
        assert report.counts["inserted"] == 2
        problems = report.problems
    else:
        with pytest.raises(ImportRejected) as refused:
            import_file(path, ImportOptions(layer="detections"))
        problems = refused.value.report.problems
        assert not Detection.objects.filter(observed_at__year=2019).exists()
    assert [(p.row, p.message.split(":")[0]) for p in problems] == [(4, "already in the database")]


@pytest.mark.django_db
def test_a_month_already_held_keeps_its_partition_and_rows(tmp_path, ward):
    camera = Camera.objects.order_by("code").first()
    place = ward.geom.point_on_surface
    ensure_partitions(MARCH, MARCH)
    kept = Detection.objects.create(camera=camera, object_class="bus", confidence=0.6, track_id=9,
                                    observed_at=datetime(2019, 3, 2, tzinfo=UTC), geom=place)
    before = partitions()[month_of(MARCH)]
    path = write_csv(tmp_path / "more.csv", camera, place, [("2019-03-05T08:00:00+07:00", 0.8, 1)])

    assert import_file(path, ImportOptions(layer="detections")).counts["inserted"] == 1

    assert partitions()[month_of(MARCH)] == before
    tracks = Detection.objects.filter(observed_at__year=2019).values_list("track_id", flat=True)
    assert sorted(tracks) == [1, 9]
    assert Detection.objects.filter(pk=kept.pk).exists()


def test_an_attached_month_is_announced_as_an_insert_is(tmp_path, committed_database_url, django_db_blocker):
    """The command, committed: the live feed hears of the new detections and the tiles of their boxes,
    although PostgreSQL fires no trigger of the detections for an ATTACH PARTITION."""
    with django_db_blocker.unblock():
        camera = Camera.objects.order_by("code").first()
        place = camera.geom
    february, march = datetime(2018, 2, 10, tzinfo=UTC), datetime(2018, 3, 10, tzinfo=UTC)
    path = write_csv(tmp_path / "february.csv", camera, place, [
        ("2018-02-10T08:00:00+07:00", 0.8, 1), ("2018-03-11T08:00:00+07:00", 0.9, 2),
        ("2018-02-11T08:00:00+07:00", 0.9, 3)])
    with psycopg.connect(committed_database_url, autocommit=True) as listener:
        refreshed = listener.execute("SELECT refreshed_at, source FROM layers_layerrefresh "
                                     "WHERE layer = 'detections'").fetchone()
        listener.execute("LISTEN ioc_events")
        listener.execute("LISTEN ioc_tiles")
        try:
            command = [sys.executable, "-m", "ioc.cli", "import", str(path), "--layer", "detections"]
            environment = {**os.environ, "DATABASE_URL": committed_database_url}
            done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,
                                  timeout=120, check=False)
            assert done.returncode == 0, done.stderr[-2000:]
            notices = [(n.channel, json.loads(n.payload)) for n in listener.notifies(timeout=5, stop_after=2)]
        finally:  # what the command committed goes, so that later tests find the demo as it was
            for month in (february, march):
                listener.execute(f'DROP TABLE IF EXISTS "{month_of(month)}"')
            listener.execute("DELETE FROM etl_importreport WHERE source = %s", [str(path)])
            if refreshed:
                listener.execute("UPDATE layers_layerrefresh SET refreshed_at = %s, source = %s "
                                 "WHERE layer = 'detections'", refreshed)
            else:
                listener.execute("DELETE FROM layers_layerrefresh WHERE layer = 'detections'")
    events = [payload for channel, payload in notices if channel == "ioc_events"]
    tiles = [payload for channel, payload in notices if channel == "ioc_tiles"]
    # one notice each for the whole file, as for one insert statement, though it filled two months
    assert [(e["layer"], e["count"], len(e["features"])) for e in events] == [("detections", 3, 3)]
    assert events[0]["features"][0]["time"] == "2018-03-11T08:00:00+07:00"
    assert tiles[0]["table"] == "layers_detection" and tiles[0]["boxes"]


@pytest.fixture
def committed_database_url() -> str:
    """The test database's address, for connections of their own (what they write is committed)."""
    from spatial.config import DatabaseConfig

    return DatabaseConfig.of_django().as_url()
