"""Benchmark: camera AI throughput, each figure against a reference measured in the same run.

(a) bare inference of the shipped model, one thread: PyTorch (ultralytics) and ONNX Runtime;
(b) the whole pipeline (decode → motion gate → detect → track → ground → rules → store) on 1 and on 2
    streams at once (each its own process), against bare ONNX Runtime inference (aim ≥ 0.8×);
(c) detection inserts per second through the writer (staging, ON CONFLICT, H3/ward aggregates) against a
    raw COPY of the same rows into the same table (aim ≥ 0.7×).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from bench.common import use_scratch_database

TARGET_PIPELINE, TARGET_INSERTS = 0.8, 0.7
SCRATCH_DB = "toancanh_bench_vision"


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}× ({'meets' if ratio >= target else 'BELOW'} the {target}× aim)"


def decoded_frames(video: Path, count: int) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(video))
    frames = []
    while len(frames) < count:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)
    capture.release()
    return frames


def inference_fps(detector, frames: list[np.ndarray], rounds: int = 3) -> float:
    """Median over `rounds` passes of frames per second of detector(frame) alone."""
    for frame in frames[:10]:
        detector(frame)  # warm-up
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for frame in frames:
            detector(frame)
        rates.append(len(frames) / (time.perf_counter() - start))
    return statistics.median(rates)


def bare_inference(weights: Path, frames: list[np.ndarray]) -> dict[str, float]:
    from vision.detectors import load_detector

    onnx = inference_fps(load_detector("onnx", weights, threads=1), frames)
    torch = inference_fps(load_detector("ultralytics", weights.with_suffix(".pt"), threads=1), frames)
    return {"onnx": onnx, "pytorch": torch}


def pipeline_streams(camera_codes: list[str], video: Path, db_url: str) -> list[float]:
    """Run the pipeline on each camera at once, one process each; returns each stream's frames/s."""
    code = ("import json, sys, django; django.setup(); from vision import runs; from layers.models import Camera; "
            "c = Camera.objects.get(code=sys.argv[1]); r = runs.create_run(c.id, sys.argv[2]); "
            "s = runs.execute(r.id); print(json.dumps({'fps': s.frames / s.seconds, 'rows': s.inserted}))")
    env = {"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "spatial.settings"}
    import os

    processes = [subprocess.Popen([sys.executable, "-c", code, camera, str(video)], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env={**os.environ, **env}, text=True)
                 for camera in camera_codes]
    return [json.loads(p.communicate()[0].strip().splitlines()[-1])["fps"] for p in processes]


def insert_rows(camera_id: int, run_id: int, lonlat: np.ndarray, total: int) -> list[tuple]:
    """`total` detection rows like the pipeline's: 10 objects a frame moving over the camera's ground."""
    start = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    rows = []
    for i in range(total):
        frame, obj = divmod(i, 10)
        lon, lat = lonlat[(frame + obj * 37) % len(lonlat)]
        rows.append((camera_id, start + timedelta(seconds=frame / 10), run_id * 1_000_000 + obj, "car", 0.8, True,
                     [100, 120, 180, 200], float(lon), float(lat), frame == 0))
    return rows


def inserts_vs_copy(db_url: str, camera_id: int, run_id: int, lonlat: np.ndarray, total: int,
                    batch: int) -> tuple[float, float]:
    """Rows/s through DetectionWriter, and rows/s of a raw COPY of the same stored rows (1 day later)."""
    import psycopg

    from vision.writer import Batch, DetectionWriter

    rows = insert_rows(camera_id, run_id, lonlat, total)
    writer = DetectionWriter(db_url)
    writer._ensure_partitions(rows)
    start = time.perf_counter()
    for i in range(0, total, batch):
        writer.write(Batch(run_id, i + batch, None, batch, rows[i:i + batch], []))
    writer_rate = total / (time.perf_counter() - start)
    writer.close()
    columns = "camera_id, object_class, confidence, observed_at, track_id, ground_located, bbox, ward_id, geom"
    with psycopg.connect(db_url, autocommit=True) as conn:
        stored = conn.execute(
            "SELECT camera_id, object_class, confidence, observed_at + interval '1 day', track_id, ground_located, "
            "bbox, ward_id, ST_AsEWKT(geom) FROM layers_detection WHERE camera_id = %s AND track_id / %s = %s "
            "ORDER BY observed_at", [camera_id, 1_000_000, run_id]).fetchall()
        start = time.perf_counter()
        for i in range(0, len(stored), batch):
            with conn.transaction(), conn.cursor().copy(f"COPY layers_detection ({columns}) FROM STDIN") as copy:
                for row in stored[i:i + batch]:
                    copy.write_row(row)
        copy_rate = len(stored) / (time.perf_counter() - start)
    return writer_rate, copy_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300, help="frames for bare inference")
    parser.add_argument("--rows", type=int, default=50_000, help="rows for inserts vs COPY")
    parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
    args = parser.parse_args()

    db = use_scratch_database(SCRATCH_DB)
    from django.conf import settings
    from django.contrib.gis.geos import Point

    from layers.models import Camera
    from spatial.config import STATE_DIR
    from vision import runs
    from vision.demo import DEMO_VIDEO, install_scenario, scenario_video
    from vision.synthetic.video import CAMERA

    video = scenario_video(STATE_DIR / DEMO_VIDEO)
    weights = Path(settings.VISION.weights)
    print(f"vision bench: {weights.name}, {video.name} ({CAMERA.size[0]}×{CAMERA.size[1]}, 10 fps, 400 frames)")

    frames = decoded_frames(video, args.frames)
    bare = bare_inference(weights, frames)
    print(f"(a) bare inference, 1 thread, {len(frames)} frames: PyTorch {bare['pytorch']:.0f} fps, "
          f"ONNX Runtime {bare['onnx']:.0f} fps ({bare['onnx'] / bare['pytorch']:.1f}× PyTorch)")

    cameras = [Camera.objects.create(code=f"BENCH-{i}", name=f"Bench {i}", geom=Point(105.85 + i * 0.01, 21.03),
                                     bearing_deg=30.0) for i in range(3)]
    for camera in cameras:
        install_scenario(camera)
    one = pipeline_streams([cameras[0].code], video, db.as_url())
    two = pipeline_streams([c.code for c in cameras[1:]], video, db.as_url())
    print(f"(b) whole pipeline, 1 stream: {one[0]:.0f} fps = {verdict(one[0] / bare['onnx'], TARGET_PIPELINE)} "
          "of bare ONNX inference")
    print(f"    whole pipeline, 2 streams at once: {two[0]:.0f} + {two[1]:.0f} fps; per stream "
          f"{verdict(min(two) / bare['onnx'], TARGET_PIPELINE)} of bare inference")

    run = runs.create_run(cameras[0].id, "bench-inserts")
    ground = cameras[0].calibration.calibration.to_ground(np.column_stack(
        [np.linspace(40, 600, 97), np.linspace(200, 350, 97)]))
    writer_rate, copy_rate = inserts_vs_copy(db.as_url(), cameras[0].id, run.id, ground, args.rows, args.batch)
    print(f"(c) {args.rows:,} detections in batches of {args.batch}: writer {writer_rate:,.0f} rows/s "
          f"(COPY → staging → ON CONFLICT → H3×3/ward hourly aggregates, one transaction), raw COPY "
          f"{copy_rate:,.0f} rows/s: {verdict(writer_rate / copy_rate, TARGET_INSERTS)}")


if __name__ == "__main__":
    main()
