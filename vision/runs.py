"""Runs of the pipeline: create one for a camera and a source, execute it (resuming from its checkpoint)."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import cv2
from django.conf import settings

from layers.models import Camera
from spatial.config import DatabaseConfig
from vision.capture import frames, prefetched
from vision.detectors import load_detector
from vision.errors import VisionError
from vision.evidence import EvidenceKeeper
from vision.models import CameraCalibration, CameraRule, StreamRun
from vision.stream import CameraSetup, Stats, StreamProcessor
from vision.writer import DetectionWriter
from vision.zones import CountingLine, DwellZone, RestrictedZone, RuleBook

logger = logging.getLogger(__name__)

_RULE_TYPES = {
    "line": lambda r: CountingLine(r.name, _shapely(r.geom)),
    "dwell": lambda r: DwellZone(r.name, _shapely(r.geom), r.seconds),
    "restricted": lambda r: RestrictedZone(r.name, _shapely(r.geom), frozenset(r.classes or ["person"])),
}
_RULE_LISTS = {"line": "lines", "dwell": "dwells", "restricted": "restricted"}


def _shapely(geometry):
    from shapely import wkb

    return wkb.loads(bytes(geometry.wkb))


def rule_book(camera_id: int) -> RuleBook:
    """The camera's counting lines and zones, in map coordinates."""
    book = RuleBook()
    for rule in CameraRule.objects.filter(camera_id=camera_id).order_by("id"):
        getattr(book, _RULE_LISTS[rule.kind]).append(_RULE_TYPES[rule.kind](rule))
    return book


def camera_setup(camera_id: int) -> CameraSetup:
    """The camera, its calibration (None: events sit at the camera, flagged) and its rules."""
    try:
        camera = Camera.objects.get(pk=camera_id)
    except Camera.DoesNotExist as exc:
        raise VisionError(f"camera {camera_id} does not exist; list cameras in the admin") from exc
    stored = CameraCalibration.objects.filter(camera_id=camera_id).first()
    calibration = stored.calibration if stored else None
    if calibration is None:
        logger.warning(
            "camera %s has no calibration: detections sit at the camera, not on the ground", camera.code
        )
    return CameraSetup(
        camera.id, camera.code, (camera.geom.x, camera.geom.y), calibration, rule_book(camera_id)
    )


def create_run(camera_id: int, source: str | None = None, started_at: datetime | None = None) -> StreamRun:
    """A new run of `source` (default: the camera's stream URL); file frame times count from `started_at`."""
    camera = Camera.objects.get(pk=camera_id)
    source = source or camera.stream_url
    if not source:
        raise VisionError(f"camera {camera.code} has no stream URL; pass --source FILE/URL")
    return StreamRun.objects.create(camera=camera, source=source, started_at=started_at or datetime.now(UTC))


def limit_threads(threads: int) -> None:
    """One stream per core: OpenCV (and torch, if loaded) use `threads` threads, not every core."""
    cv2.setNumThreads(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def database_url() -> str:
    """The libpq URL of Django's default database (the test database under pytest)."""
    return DatabaseConfig.of_django().as_url()


def execute(run_id: int, throttle_s: float = 0.0) -> Stats:
    """Process the run from its checkpoint to the end of its source (files) or forever (streams).

    A session advisory lock on the camera fences off a second processor of the same camera (e.g. one
    judged dead too early); the lock goes with the connection when a worker dies.
    """
    run = StreamRun.objects.get(pk=run_id)
    if run.finished_at:
        logger.info("run %s already finished", run_id)
        return Stats()
    config = settings.VISION
    camera = camera_setup(run.camera_id)
    writer = DetectionWriter(database_url())
    try:
        writer.conn.execute("SELECT pg_advisory_lock(%s)", (run.camera_id,))
        run.refresh_from_db()  # the checkpoint as the previous holder of the lock left it
        detector = load_detector(
            config.detector, config.weights, confidence=config.confidence, threads=config.threads
        )
        logger.info("run %s (camera %s) resumes at frame %d", run.id, camera.code, run.next_frame)
        processor = StreamProcessor(
            camera,
            detector,
            writer,
            EvidenceKeeper(settings.MEDIA_ROOT, camera.id),
            run.id,
            run.started_at,
            run.source,
            bytes(run.state) if run.state else None,
            config.sample_fps,
            config.batch_frames,
            throttle_s,
            start_frame=run.next_frame,
        )
        limit_threads(config.threads)  # after the tracker has loaded torch
        stats = processor.run(prefetched(frames(run.source, config.sample_fps, run.next_frame)))
    finally:
        writer.close()
    logger.info(
        "run %s: %d frames, %d rows stored, %d events, %.1f fps",
        run.id,
        stats.frames,
        stats.inserted,
        stats.events,
        stats.frames / max(stats.seconds, 1e-9),
    )
    return stats
