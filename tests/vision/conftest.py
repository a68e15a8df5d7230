"""Camera AI fixtures: cameras on the demo map, the acceptance video and its truth, the offline guard."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.test import override_settings

from vision.offline import prepare_environment

HERE = Path(__file__).parent
SHIPPED_ONNX = Path(
    os.environ.get(
        "IOC_VISION_WEIGHTS", Path(__file__).resolve().parents[2] / "vision/models/toancanh-pico.onnx"
    )
)
# Installed in every process the tests start (PYTHONPATH): logs and refuses any non-loopback connection.
GUARD_DIR = HERE / "offline_guard"


def pytest_configure(config) -> None:
    prepare_environment()  # YOLO_OFFLINE and the fonts, before anything imports ultralytics
    sys.path.insert(0, str(GUARD_DIR))
    import offline_guard  # noqa: F401  (installs the audit hook in this process; armed per test below)


@pytest.fixture(autouse=True)
def offline(monkeypatch) -> Iterator[list[str]]:
    """Every vision test runs offline: a network attempt anywhere in it fails the test."""
    import offline_guard

    monkeypatch.setenv("IOC_OFFLINE_GUARD", "1")
    before = len(offline_guard.ATTEMPTS)
    yield offline_guard.ATTEMPTS
    attempts = offline_guard.ATTEMPTS[before:]
    assert not attempts, f"network attempts while offline: {attempts}"


@pytest.fixture(scope="session")
def database_url(django_db_setup) -> str:
    from vision.runs import database_url

    return database_url()


@pytest.fixture(scope="session")
def acceptance_video(tmp_path_factory) -> tuple[Path, dict]:
    """The 40 s scenario at 640×360, rendered once per session."""
    from vision.synthetic.video import GeoFrame, write_video

    path = tmp_path_factory.mktemp("video") / "scenario.avi"
    write_video(path, GeoFrame((0.0, 0.0), 0.0))
    return path, json.loads(path.with_suffix(".json").read_text())


@pytest.fixture(scope="module")
def media_root(tmp_path_factory) -> Iterator[Path]:
    """A media folder of the module's own, MEDIA_ROOT while the module runs (only: the live servers of
    later tests serve the default folder, where their tests put files)."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root):
        yield root


def _delete_camera_data(conn: psycopg.Connection, camera_id: int) -> None:
    for table in (
        "layers_detection",
        "layers_detection_density",
        "vision_rule_event",
        "vision_stream_run",
        "vision_cameracalibration",
        "vision_camerarule",
    ):
        conn.execute(f"DELETE FROM {table} WHERE camera_id = %s", [camera_id])  # noqa: S608 (fixed names)
    incidents = [
        r[0]
        for r in conn.execute(
            "SELECT incident_id FROM vision_zone_incident WHERE camera_id = %s", [camera_id]
        )
    ]
    conn.execute("DELETE FROM vision_zone_incident WHERE camera_id = %s", [camera_id])
    conn.execute("DELETE FROM layers_incident WHERE id = ANY(%s)", [incidents])
    conn.execute("DELETE FROM procrastinate_jobs WHERE lock = %s", [f"camera:{camera_id}"])


@pytest.fixture(scope="session")
def make_camera(django_db_setup, django_db_blocker, database_url) -> Iterator:
    """make_camera(code) → a camera beside the demo's CAM-001 with the scenario's calibration and rules."""
    from layers.models import Camera
    from vision.demo import install_scenario

    made: list[int] = []

    def make(code: str) -> Camera:
        with django_db_blocker.unblock():
            model = Camera.objects.get(code="CAM-001")
            camera = Camera.objects.create(
                code=code,
                name=f"Camera thử {code}",
                geom=model.geom,
                bearing_deg=model.bearing_deg,
                ward=model.ward,
            )
            install_scenario(camera)
        made.append(camera.id)
        return camera

    yield make
    with django_db_blocker.unblock(), psycopg.connect(database_url, autocommit=True) as conn:
        for camera_id in made:
            _delete_camera_data(conn, camera_id)
            conn.execute("DELETE FROM layers_camera WHERE id = %s", [camera_id])


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    if not SHIPPED_ONNX.exists():
        pytest.fail(f"{SHIPPED_ONNX} is missing: it ships with the repository (`ioc vision train`)")
    return SHIPPED_ONNX


@pytest.fixture
def guarded_env():
    """guarded_env(**extra) → the environment for subprocesses: the offline guard armed, plus `extra`."""

    def env(**extra: str) -> dict[str, str]:
        path = os.pathsep.join([str(GUARD_DIR), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        return {**os.environ, "PYTHONPATH": path, "IOC_OFFLINE_GUARD": "1", **extra}

    return env
