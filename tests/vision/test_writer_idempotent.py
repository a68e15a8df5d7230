"""The writer stores a batch all or nothing: a replayed batch inserts nothing and counts nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from layers.registry import registry
from vision.writer import Batch, DetectionWriter, EventRow

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 5, 9, 59, 58, tzinfo=UTC)  # the batch straddles an hour


@pytest.fixture(scope="module")
def setup(make_camera, database_url, django_db_blocker):
    from vision import runs

    camera = make_camera("VISION-WRITER")
    with django_db_blocker.unblock():
        run = runs.create_run(camera.id, "/dev/null", T0)
    lon, lat = camera.geom.x, camera.geom.y
    rows = [
        (
            camera.id,
            T0 + timedelta(seconds=0.5 * i),
            run.id * 1_000_000 + track,
            "car",
            0.9,
            True,
            [10, 20, 30, 40],
            lon + 0.0001 * track,
            lat,
            i == 0,
        )
        for i in range(8)
        for track in (1, 2)
    ]
    return camera, run, rows


def _counts(database_url: str, camera_id: int) -> tuple:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT (SELECT count(*) FROM layers_detection WHERE camera_id = %(c)s), "
            "(SELECT array_agg(s ORDER BY r) FROM (SELECT h3_resolution r, sum(detections) s "
            " FROM layers_detection_density WHERE camera_id = %(c)s GROUP BY 1) x), "
            "(SELECT count(*) FROM vision_rule_event WHERE camera_id = %(c)s), "
            "(SELECT next_frame FROM vision_stream_run WHERE camera_id = %(c)s)",
            {"c": camera_id},
        ).fetchone()


def test_a_replayed_batch_inserts_and_counts_nothing(setup, database_url, django_db_blocker):
    camera, run, rows = setup
    event = EventRow(camera.id, rows[0][2], "line", "crossing", 1, "car", T0, rows[0][7], rows[0][8])
    writer = DetectionWriter(database_url)
    with django_db_blocker.unblock():
        writer.ensure_partitions(rows)
        first = writer.write(Batch(run.id, 40, b"state-40", 40, rows, [event]))
        replay = writer.write(Batch(run.id, 40, b"state-40", 40, rows, [event]))
    writer.close()
    assert (first.detections, first.events) == (16, 1)
    assert (replay.detections, replay.aggregate_rows, replay.events) == (0, 0, 0)
    assert _counts(database_url, camera.id) == (16, [16], 1, 40)


def test_aggregates_split_by_hour_and_carry_the_h3_polygon(setup, database_url):
    camera, _run, _rows = setup
    with psycopg.connect(database_url) as conn:
        hours = conn.execute(
            "SELECT hour, sum(detections), sum(tracks), bool_and(ST_GeometryType(geom) = 'ST_Polygon'), "
            "bool_and(ST_Intersects(geom, ST_Buffer(%s::geography, 100)::geometry)) "
            "FROM layers_detection_density WHERE camera_id = %s AND h3_resolution = 9 GROUP BY 1 ORDER BY 1",
            [camera.geom.wkt, camera.id],
        ).fetchall()
    assert [(h.hour, n, tracks, poly, near) for h, n, tracks, poly, near in hours] == [
        (9, 8, 2, True, True),
        (10, 8, 0, True, True),
    ]


def test_the_checkpoint_only_moves_forward(setup, database_url, django_db_blocker):
    camera, run, _rows = setup
    writer = DetectionWriter(database_url)
    with django_db_blocker.unblock():
        writer.write(Batch(run.id, 20, b"older", 20, [], []))
    writer.close()
    assert _counts(database_url, camera.id)[3] == 40


def test_a_full_rebuild_gives_the_incremental_aggregates(setup, database_url):
    from vision.density import rebuild

    camera = setup[0]
    query = (
        "SELECT h3_cell, h3_resolution, object_class, hour, detections, tracks, ST_AsText(geom) "
        "FROM layers_detection_density WHERE camera_id = %s ORDER BY 1, 4"
    )
    with psycopg.connect(database_url) as conn:
        incremental = conn.execute(query, [camera.id]).fetchall()
    assert rebuild(database_url) > len(incremental)  # the demo's detections too
    with psycopg.connect(database_url) as conn:
        assert conn.execute(query, [camera.id]).fetchall() == incremental


def test_the_density_layer_reads_the_aggregates_at_resolution_9(setup):
    camera, _run, _rows = setup
    layer = registry.get("detection_density")
    rows = layer.queryset().filter(camera=camera)
    assert layer.time_field == "hour" and not layer.public
    assert {r.h3_resolution for r in rows} == {9} and sum(r.detections for r in rows) == 16
    assert layer.read_roles == registry.get("detections").read_roles
