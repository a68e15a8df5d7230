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
    """'0.93× (meets the 0.8× aim)' for printing."""
    return f"{ratio:.2f}× ({'meets' if ratio >= target else 'BELOW'} the {target}× aim)"


def decoded_frames(video: Path, count: int) -> list[np.ndarray]:
    """The first `count` frames of the video, decoded (inference alone is then timed)."""
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
    """Frames/s of the shipped model alone: ONNX Runtime (.onnx) and PyTorch through ultralytics (.pt)."""
    from vision.detectors import load_detector

    onnx = inference_fps(load_detector("onnx", weights, threads=1), frames)
    torch = inference_fps(load_detector("ultralytics", weights.with_suffix(".pt"), threads=1), frames)
    return {"onnx": onnx, "pytorch": torch}


def bare_inference_parallel(weights: Path, video: Path, processes: int, frames: int) -> list[float]:
    """Bare ONNX Runtime inference in `processes` processes at once (the 2-stream reference)."""
    code = (
        "import sys; from pathlib import Path; from bench.vision_bench import decoded_frames, inference_fps; "
        "from vision.detectors import load_detector; "
        "f = decoded_frames(Path(sys.argv[2]), int(sys.argv[3])); "
        "print(inference_fps(load_detector('onnx', sys.argv[1], threads=1), f))"
    )
    running = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(weights), str(video), str(frames)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    return [float(p.communicate()[0].strip().splitlines()[-1]) for p in running]


def pipeline_streams(camera_codes: list[str], video: Path, db_url: str) -> list[float]:
    """Run the pipeline on each camera at once, one process each; returns each stream's frames/s."""
    code = (
        "import json, sys, django; django.setup(); from vision import runs; "
        "from layers.models import Camera; "
        "c = Camera.objects.get(code=sys.argv[1]); r = runs.create_run(c.id, sys.argv[2]); "
        "s = runs.execute(r.id); print(json.dumps({'fps': s.frames / s.seconds, 'rows': s.inserted}))"
    )
    env = {"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "ioc.settings"}
    import os

    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, camera, str(video)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **env},
            text=True,
        )
        for camera in camera_codes
    ]
    return [json.loads(p.communicate()[0].strip().splitlines()[-1])["fps"] for p in processes]


def insert_rows(camera_id: int, run_id: int, lonlat: np.ndarray, total: int) -> list[tuple]:
    """`total` detection rows like the pipeline's: 10 objects a frame moving over the camera's ground."""
    start = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    rows = []
    for i in range(total):
        frame, obj = divmod(i, 10)
        lon, lat = lonlat[(frame + obj * 37) % len(lonlat)]
        rows.append(
            (
                camera_id,
                start + timedelta(seconds=frame / 10),
                run_id * 1_000_000 + obj,
                "car",
                0.8,
                True,
                [100, 120, 180, 200],
                float(lon),
                float(lat),
                frame == 0,
            )
        )
    return rows


COPY_COLUMNS = (
    "camera_id, object_class, confidence, observed_at, track_id, ground_located, bbox, ward_id, geom"
)


def _write(writer, run_id: int, rows: list[tuple], batch: int) -> float:
    from vision.writer import Batch

    start = time.perf_counter()
    for i in range(0, len(rows), batch):
        writer.write(Batch(run_id, i + batch, None, batch, rows[i : i + batch], []))
    return time.perf_counter() - start


def _detections():
    """The detections table as a psycopg identifier (Django is set up: use_scratch_database)."""
    from psycopg import sql

    from layers.models import Detection

    return sql.Identifier(Detection._meta.db_table)


def _raw_copy(conn, rows: list[tuple], batch: int) -> float:
    from psycopg import sql

    start = time.perf_counter()
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(_detections(), sql.SQL(COPY_COLUMNS))
    for i in range(0, len(rows), batch):
        with (
            conn.transaction(),
            conn.cursor().copy(statement) as copy,
        ):
            for row in rows[i : i + batch]:
                copy.write_row(row)
    return time.perf_counter() - start


def inserts_vs_copy(
    db_url: str, camera_id: int, run_id: int, lonlat: np.ndarray, total: int, batch: int, rounds: int = 4
) -> tuple[float, float]:
    """Rows/s through DetectionWriter, and rows/s of a raw COPY of the same stored rows (shifted 1 day), in
    alternating rounds so that a neighbour's load weighs on both alike."""
    import psycopg
    from psycopg import sql

    from vision.writer import DetectionWriter

    rows = insert_rows(camera_id, run_id, lonlat, total)
    writer = DetectionWriter(db_url)
    writer.ensure_partitions(rows)
    size = total // rounds
    writer_s = copy_s = 0.0
    with psycopg.connect(db_url, autocommit=True) as conn:
        for r in range(rounds):
            part = rows[r * size : (r + 1) * size]
            writer_s += _write(writer, run_id, part, batch)
            stored = conn.execute(sql.SQL(
                "SELECT camera_id, object_class, confidence, observed_at + interval '1 day', track_id, "
                "ground_located, bbox, ward_id, ST_AsEWKT(geom) FROM {} "
                "WHERE camera_id = %s AND observed_at BETWEEN %s AND %s AND track_id / %s = %s "
                "ORDER BY observed_at").format(_detections()),
                [camera_id, part[0][1], part[-1][1], 1_000_000, run_id],
            ).fetchall()
            copy_s += _raw_copy(conn, stored, batch)
    writer.close()
    return size * rounds / writer_s, size * rounds / copy_s


def main() -> None:
    """Run (a), (b) and (c) on a scratch database and print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300, help="frames for bare inference")
    parser.add_argument("--rows", type=int, default=50_000, help="rows for inserts vs COPY")
    parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
    args = parser.parse_args()

    db = use_scratch_database(SCRATCH_DB)
    from django.conf import settings
    from django.core.management import call_command

    from layers.models import Camera
    from spatial.config import STATE_DIR
    from vision import runs
    from vision.demo import DEMO_VIDEO, install_scenario, scenario_video
    from vision.synthetic.video import CAMERA

    video = scenario_video(STATE_DIR / DEMO_VIDEO)
    weights = Path(settings.VISION.weights)
    print(
        f"vision bench: {weights.name}, {video.name} ({CAMERA.size[0]}×{CAMERA.size[1]}, 10 fps, 400 frames)"
    )

    frames = decoded_frames(video, args.frames)
    bare = bare_inference(weights, frames)
    print(
        f"(a) bare inference, 1 thread, {len(frames)} frames: PyTorch {bare['pytorch']:.0f} fps, "
        f"ONNX Runtime {bare['onnx']:.0f} fps ({bare['onnx'] / bare['pytorch']:.1f}× PyTorch)"
    )

    call_command("load_demo", verbosity=0)  # wards: each stored detection is placed in its ward
    cameras = [
        Camera.objects.create(
            code=f"BENCH-{i}", name=f"Bench {i}", geom=demo.geom, bearing_deg=demo.bearing_deg
        )
        for i, demo in enumerate(Camera.objects.order_by("code")[:3])
    ]
    for camera in cameras:
        install_scenario(camera)
    one = pipeline_streams([cameras[0].code], video, db.as_url())
    from vision.detectors import load_detector

    bare["onnx"] = (
        bare["onnx"] + inference_fps(load_detector("onnx", weights, threads=1), frames)
    ) / 2  # before/after
    two = pipeline_streams([c.code for c in cameras[1:]], video, db.as_url())
    bare_two = bare_inference_parallel(weights, video, 2, args.frames)
    print(
        f"(b) whole pipeline, 1 stream: {one[0]:.0f} fps = {verdict(one[0] / bare['onnx'], TARGET_PIPELINE)} "
        "of bare ONNX inference"
    )
    print(
        f"    whole pipeline, 2 streams at once: {two[0]:.0f} + {two[1]:.0f} fps; slower stream = "
        f"{min(two) / bare['onnx']:.2f}× bare inference alone, "
        f"{verdict(min(two) / min(bare_two), TARGET_PIPELINE)} of bare inference also run 2 at once "
        f"({bare_two[0]:.0f} + {bare_two[1]:.0f} fps)"
    )

    run = runs.create_run(cameras[0].id, "bench-inserts")
    ground = cameras[0].calibration.calibration.to_ground(
        np.column_stack([np.linspace(40, 600, 97), np.linspace(200, 350, 97)])
    )
    writer_rate, copy_rate = inserts_vs_copy(
        db.as_url(), cameras[0].id, run.id, ground, args.rows, args.batch
    )
    print(
        f"(c) {args.rows:,} detections in batches of {args.batch}: writer {writer_rate:,.0f} rows/s "
        f"(COPY → staging → ON CONFLICT → H3/ward hourly aggregates, one transaction), raw COPY "
        f"{copy_rate:,.0f} rows/s: {verdict(writer_rate / copy_rate, TARGET_INSERTS)}"
    )


if __name__ == "__main__":
    main()
