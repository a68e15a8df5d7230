"""The whole pipeline on the synthetic acceptance video (known ground paths, calibrated camera) vs its truth.

15 objects; 14 cross the counting line (7 each way); one pedestrian stands 8 s in the restricted zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psycopg
import pytest
from shapely.geometry import LineString, Point

from vision.demo import DWELL_NAME, LINE_NAME, ZONE_NAME, geo_frame
from vision.stream import TRACK_ID_SPAN

pytestmark = pytest.mark.django_db  # the test database is set up only for tests that ask for it

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
MIN_TRACK_S = 1.0  # tracks shorter than this are flicker, not objects


@pytest.fixture(scope="module")
def processed(make_camera, acceptance_video, media_root, shipped_model, database_url, django_db_blocker):
    """The acceptance video processed once by the shipped model on a calibrated camera."""
    from vision import runs

    camera = make_camera("VISION-TRUTH")
    path, truth = acceptance_video
    with django_db_blocker.unblock():
        run = runs.create_run(camera.id, str(path), START)
        stats = runs.execute(run.id)
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT track_id, object_class, observed_at, ST_X(geom), ST_Y(geom), ground_located "
            "FROM layers_detection WHERE camera_id = %s ORDER BY observed_at",
            [camera.id],
        ).fetchall()
        events = conn.execute(
            "SELECT rule, kind, direction FROM vision_rule_event WHERE camera_id = %s", [camera.id]
        ).fetchall()
        incidents = conn.execute(
            "SELECT z.rule, z.evidence, i.category, i.description, i.status FROM vision_zone_incident z "
            "JOIN layers_incident i ON i.id = z.incident_id WHERE z.camera_id = %s",
            [camera.id],
        ).fetchall()
    return {
        "camera": camera,
        "truth": truth,
        "stats": stats,
        "rows": rows,
        "events": events,
        "incidents": incidents,
        "run": run,
    }


def _tracks(rows) -> dict[int, list]:
    tracks: dict[int, list] = {}
    for row in rows:
        tracks.setdefault(row[0], []).append(row)
    return tracks


def test_every_detection_is_stored_ground_located(processed):
    assert processed["stats"].inserted == processed["stats"].rows == len(processed["rows"]) > 500
    assert all(row[5] for row in processed["rows"])


def test_median_ground_error_to_the_true_paths_is_within_2_m(processed):
    geo = geo_frame(processed["camera"])
    paths = [LineString(o["waypoints_m"]) for o in processed["truth"]["objects"]]
    points = geo.to_scene(np.array([(row[3], row[4]) for row in processed["rows"]]))
    errors = np.array([min(path.distance(Point(p)) for path in paths) for p in points])
    print(
        f"ground error to true paths: median {np.median(errors):.2f} m, p90 {np.percentile(errors, 90):.2f} m"
    )
    assert np.median(errors) <= 2.0


def test_one_track_per_object_within_ten_percent(processed):
    lasting = [
        t for t in _tracks(processed["rows"]).values() if (t[-1][2] - t[0][2]).total_seconds() >= MIN_TRACK_S
    ]
    objects = processed["truth"]["objects_seen"]
    print(f"tracks lasting ≥ {MIN_TRACK_S} s: {len(lasting)} for {objects} objects")
    assert abs(len(lasting) - objects) <= 0.1 * objects


def test_track_ids_belong_to_the_run(processed):
    run_id = processed["run"].id
    assert {row[0] // TRACK_ID_SPAN for row in processed["rows"]} == {run_id}


def test_line_crossings_are_counted_exactly_with_direction(processed):
    crossings = [e for e in processed["events"] if e[0] == LINE_NAME and e[1] == "crossing"]
    east = sum(1 for e in crossings if e[2] == 1)
    west = sum(1 for e in crossings if e[2] == -1)
    assert (east, west) == (processed["truth"]["crossings"]["east"], processed["truth"]["crossings"]["west"])


def test_the_zone_intrusion_makes_exactly_one_incident_with_its_evidence_frame(processed, media_root):
    intrusions = [i for i in processed["incidents"] if i[0] == ZONE_NAME]
    assert len(intrusions) == processed["truth"]["intrusions"] == 1
    _rule, evidence, category, description, status = intrusions[0]
    assert (category, status) == ("intrusion", "new")
    assert evidence in description and (Path(media_root) / evidence).stat().st_size > 5000


def test_standing_in_the_dwell_zone_longer_than_its_limit_makes_one_incident(processed):
    assert [i[2] for i in processed["incidents"] if i[0] == DWELL_NAME] == ["public_order"]


def test_each_track_leaves_one_evidence_crop(processed, media_root):
    crops = list(
        (Path(media_root) / "vision" / "evidence" / f"camera-{processed['camera'].id}").glob("track-*.jpg")
    )
    assert len(crops) == len(_tracks(processed["rows"]))
