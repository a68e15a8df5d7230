"""Nothing in the training command, the pipeline or these tests attempts a download.

Subprocesses run with an audit hook (tests/vision/offline_guard) that logs NETWORK-ATTEMPT and
refuses every non-loopback connection; the logs must hold no attempt, no "Downloading" and no
ultralytics AutoUpdate. In this process the same hook fails any vision test that tries (conftest).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vision.training import EXPORT_SIZE

pytestmark = pytest.mark.django_db

DOWNLOAD_SIGNS = ("NETWORK-ATTEMPT", "Downloading", "AutoUpdate", "https://github.com")


def _ioc(args: list[str], env: dict, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ioc.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    return log


def _no_download_attempt(log: str) -> None:
    found = [line for line in log.splitlines() if any(sign in line for sign in DOWNLOAD_SIGNS)]
    assert not found, found


def test_the_guard_sees_and_refuses_a_download_attempt(guarded_env):
    probe = (
        "import urllib.request\ntry:\n    urllib.request.urlopen('https://example.com', timeout=2)\n"
        "except OSError as exc:\n    print('refused', type(exc).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=guarded_env(), capture_output=True, text=True, timeout=60
    )
    assert "NETWORK-ATTEMPT" in done.stderr and "refused" in done.stdout


def test_smoke_training_exports_a_working_onnx_without_network(tmp_path, guarded_env):
    env = guarded_env(YOLO_CONFIG_DIR=str(tmp_path / "ultralytics"))  # fresh settings: fonts installed again
    log = _ioc(["vision", "train", "--smoke", "--output", str(tmp_path)], env)
    _no_download_attempt(log)
    import onnxruntime as ort

    session = ort.InferenceSession(str(tmp_path / "toancanh-pico.onnx"), providers=["CPUExecutionProvider"])
    height, width = EXPORT_SIZE
    output = session.run(None, {session.get_inputs()[0].name: np.zeros((1, 3, height, width), np.float32)})[0]
    anchors = sum((height // s) * (width // s) for s in (8, 16, 32))
    assert output.shape == (1, 4 + 6, anchors)
    assert (tmp_path / "toancanh-pico.pt").stat().st_size > 100_000


@pytest.fixture(scope="module")
def short_video(tmp_path_factory) -> Path:
    from vision.synthetic.video import GeoFrame, write_video

    path = tmp_path_factory.mktemp("short") / "short.avi"
    write_video(path, GeoFrame((0.0, 0.0), 0.0), seconds=6)
    return path


@pytest.fixture(scope="module")
def offline_camera(make_camera):
    return make_camera("VISION-OFFLINE")


@pytest.mark.parametrize("detector, suffix", [("onnx", ".onnx"), ("ultralytics", ".pt")])
def test_the_pipeline_runs_without_network(
    detector, suffix, offline_camera, short_video, shipped_model, database_url, tmp_path, guarded_env
):
    env = guarded_env(
        DATABASE_URL=database_url.replace("postgresql://", "postgres://"),
        IOC_VISION_DETECTOR=detector,
        IOC_VISION_WEIGHTS=str(shipped_model.with_suffix(suffix)),
        IOC_MEDIA_ROOT=str(tmp_path),
    )
    log = _ioc(["vision", "run", "--camera", offline_camera.code, "--source", str(short_video)], env)
    _no_download_attempt(log)
    assert "detections stored" in log
