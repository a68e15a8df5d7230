"""`ioc vision …`: train the model, run a camera, supervise queue workers, play the demo, purge old data.

ioc vision train --minutes 20 --seed 0     train the shipped pico model on synthetic scenes (CPU)
ioc vision run --camera CAM-001 [--source FILE/URL] [--queue]
ioc vision worker --processes 2            queue workers, restarted when they die
ioc vision demo --cameras 3                the synthetic video on demo cameras, in real time, looping
ioc vision purge                           evidence and detection partitions past retention
ioc vision density                         rebuild the hourly aggregates from all stored detections
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layers.models import Camera
from vision.errors import VisionError


def _camera(value: str) -> Camera:
    found = Camera.objects.filter(code=value).first() or (
        Camera.objects.filter(pk=int(value)).first() if value.isdigit() else None
    )
    if found is None:
        raise CommandError(f"no camera {value!r}: give a camera code (CAM-001) or id")
    return found


class Command(BaseCommand):
    help = "Camera AI. Huấn luyện mô hình, chạy camera, giám sát worker, demo."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train the pico YOLO on synthetic scenes, export .pt and .onnx")
        train.add_argument("--minutes", type=float, default=20.0, help="training time budget (default 20)")
        train.add_argument("--seed", type=int, default=0)
        train.add_argument("--threads", type=int, default=2)
        train.add_argument("--images", type=int, default=1500, help="synthetic training images")
        train.add_argument("--smoke", action="store_true", help="one short epoch on 64 images (CI check)")
        train.add_argument(
            "--output", type=Path, default=None, help="folder for the .pt/.onnx (vision/models)"
        )
        run = sub.add_parser("run", help="process one camera's stream or a video file")
        run.add_argument("--camera", required=True, help="camera code or id")
        run.add_argument("--source", help="video file or stream URL (default: the camera's stream URL)")
        run.add_argument("--queue", action="store_true", help="defer to the queue instead of running here")
        worker = sub.add_parser("worker", help="supervise queue worker processes (restarts dead ones)")
        worker.add_argument("--processes", type=int, default=1, help="streams processed at once (≤ cores)")
        demo = sub.add_parser("demo", help="play the synthetic video on a few demo cameras, live, looping")
        demo.add_argument("--cameras", type=int, default=3)
        sub.add_parser("purge", help="delete evidence and detection partitions past retention")
        sub.add_parser("density", help="rebuild the hourly H3/ward aggregates from all stored detections")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except VisionError as exc:
            raise CommandError(str(exc)) from exc

    def _train(self, minutes, seed, threads, images, smoke, output, **_):
        from vision.training import MODELS_DIR, TrainingPlan, train

        plan = (
            TrainingPlan.smoke(seed)
            if smoke
            else TrainingPlan(train_images=images, minutes=minutes, seed=seed, threads=threads)
        )
        result = train(plan, output=output or MODELS_DIR)
        self.stdout.write(
            f"mAP50 {result['map50']:.3f}  mAP50-95 {result['map50_95']:.3f}\n"
            f"{result['pt']}\n{result['onnx']}"
        )

    def _run(self, camera, source, queue, **_):
        from vision import runs
        from vision.tasks import defer_run

        cam = _camera(camera)
        run = runs.create_run(cam.id, source)
        if queue:
            job = defer_run(run.id, cam.id)
            self.stdout.write(f"run {run.id} queued as job {job}; `ioc vision worker` processes it")
            return
        stats = runs.execute(run.id)
        self.stdout.write(
            f"run {run.id}: {stats.frames} frames, {stats.inserted} detections stored, "
            f"{stats.events} events, {stats.frames / max(stats.seconds, 1e-9):.0f} fps"
        )

    def _worker(self, processes, **_):
        from vision.supervisor import Supervisor

        Supervisor(processes).run()

    def _demo(self, cameras, **_):
        from procrastinate.contrib.django.models import ProcrastinateJob

        from vision import runs
        from vision.demo import DEMO_VIDEO, install_scenario, scenario_video
        from vision.tasks import defer_run

        video = scenario_video(settings.STATE_DIR / DEMO_VIDEO)
        self._density()  # the demo's bulk-loaded detections, aggregated once
        chosen = Camera.objects.filter(status="online").order_by("code")[:cameras]
        for index, cam in enumerate(chosen):
            queued = ProcrastinateJob.objects.filter(lock=f"camera:{cam.id}", status__in=["todo", "doing"])
            if queued.exists():
                self.stdout.write(f"demo: {cam.code} is already playing")
                continue
            install_scenario(cam)
            run = runs.create_run(cam.id, str(video), datetime.now(UTC) + timedelta(seconds=index))
            defer_run(run.id, cam.id, throttle_s=1.0 / settings.VISION.sample_fps, repeat=True)
            self.stdout.write(f"demo: {cam.code} plays {video.name} (run {run.id})")

    def _density(self, **_):
        from vision import density, runs

        self.stdout.write(f"{density.rebuild(runs.database_url())} detection density rows")

    def _purge(self, **_):
        from vision.tasks import purge

        purge(int(datetime.now(UTC).timestamp()))
