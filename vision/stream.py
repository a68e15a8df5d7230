"""One camera's loop: capture → motion gate → detect → track → ground point → rules → writer (resumable).

Everything the loop remembers between frames (tracker, gate, rules, tracks seen) is pickled into the
run's checkpoint with each stored batch, so a new worker continues exactly where the stored data ends.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from vision.calibration import Calibration, foot_point
from vision.capture import Frame, is_live
from vision.detectors.base import Detector
from vision.evidence import EvidenceKeeper
from vision.motion import MotionGate
from vision.tracking import Tracker
from vision.writer import Batch, DetectionWriter, EventRow
from vision.zones import RuleBook, TrackPoint

logger = logging.getLogger(__name__)

TRACK_ID_SPAN = 1_000_000  # stored track id = run id × span + the tracker's own id
TRACK_END_S = 3.5  # not seen this long (longer than the tracker keeps lost tracks): the track ended


@dataclass(frozen=True)
class CameraSetup:
    """What the loop needs to know about its camera."""

    id: int
    code: str
    lonlat: tuple[float, float]
    calibration: Calibration | None
    rules: RuleBook


@dataclass
class LoopState:
    """The picklable part of the loop (the checkpoint)."""

    tracker: bytes | None = None
    gate: np.ndarray | None = None
    rules: RuleBook | None = None
    seen: dict[int, float] = field(default_factory=dict)  # local track id → last seconds seen
    active: bool = False


@dataclass
class Stats:
    frames: int = 0
    detected: int = 0
    rows: int = 0
    inserted: int = 0
    events: int = 0
    seconds: float = 0.0


class StreamProcessor:
    """Runs frames of one run through the pipeline and hands batches to the writer."""

    def __init__(
        self,
        camera: CameraSetup,
        detector: Detector,
        writer: DetectionWriter,
        evidence: EvidenceKeeper,
        run_id: int,
        started_at: datetime,
        source: str,
        state: bytes | None = None,
        sample_fps: float = 10.0,
        batch_frames: int = 20,
        throttle_s: float = 0.0,
        start_frame: int = 0,
    ) -> None:
        self.camera, self.detector, self.writer, self.evidence = camera, detector, writer, evidence
        self.start_frame = start_frame  # where the checkpoint stands (a finished source may yield nothing)
        self.run_id, self.started_at, self.live = run_id, started_at, is_live(source)
        self.batch_frames, self.throttle_s = batch_frames, throttle_s
        self.tracker = Tracker(frame_rate=sample_fps)
        self.gate = MotionGate()
        self.state = pickle.loads(state) if state else LoopState(rules=camera.rules)  # noqa: S301 (own checkpoint)
        if self.state.tracker:
            self.tracker.restore(self.state.tracker)
        self.gate.restore(self.state.gate)
        self.rules: RuleBook = self.state.rules
        # Batches are stored in order by one background thread while the next frames are processed.
        self._storing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vision-store")
        self._pending: Future | None = None

    def _time(self, frame: Frame) -> datetime:
        if self.live:
            return datetime.fromtimestamp(frame.seconds, UTC)
        return self.started_at + timedelta(seconds=round(frame.seconds, 6))

    def _ground(self, boxes: np.ndarray) -> tuple[np.ndarray, bool]:
        if self.camera.calibration is None:  # not calibrated: at the camera, flagged
            return np.tile(self.camera.lonlat, (len(boxes), 1)), False
        feet = np.array([foot_point(tuple(b)) for b in boxes])
        return self.camera.calibration.to_ground(feet), True

    def run(self, frames: Iterable[Frame]) -> Stats:
        """Process `frames` to their end; store every `batch_frames` frames and at the end."""
        stats, batch, next_frame = Stats(), self._new_batch(), self.start_frame
        began = time.perf_counter()
        for frame in frames:
            self._frame(frame, batch, stats)
            next_frame = frame.index + 1
            if batch.frames >= self.batch_frames:
                self._flush(batch, next_frame, stats)
                batch = self._new_batch()
            if self.throttle_s:
                time.sleep(self.throttle_s)
        self._finish_tracks(set(self.state.seen))
        self._flush(batch, next_frame, stats, finished=True)
        self._wait_stored(stats)
        self._storing.shutdown()
        stats.seconds = time.perf_counter() - began
        return stats

    def _new_batch(self) -> Batch:
        return Batch(run_id=self.run_id, next_frame=0, state=None)

    def _flush(self, batch: Batch, next_frame: int, stats: Stats, finished: bool = False) -> None:
        self.state.tracker, self.state.gate = self.tracker.state, self.gate.state
        batch.next_frame, batch.finished = next_frame, finished
        batch.state = pickle.dumps(self.state)
        self.writer.ensure_partitions(batch.rows)
        self._wait_stored(stats)  # the previous batch first: checkpoints only move forward
        self._pending = self._storing.submit(self.writer.write, batch)

    def _wait_stored(self, stats: Stats) -> None:
        if self._pending is not None:
            written = self._pending.result()  # re-raises a storage error here
            stats.inserted += written.detections
            stats.events += written.events
            self._pending = None

    def _frame(self, frame: Frame, batch: Batch, stats: Stats) -> None:
        stats.frames += 1
        batch.frames += 1
        seconds = frame.seconds
        # While something is tracked every frame is detected; the gate only decides for a quiet scene.
        if self.state.active or self.gate(frame.image):
            detections = self.detector(frame.image)
            stats.detected += len(detections)
            tracks = self.tracker.update(detections, frame.image)
            self.state.active = len(tracks) > 0
            if len(tracks):
                self._store_tracks(frame, tracks, batch, stats)
        batch.events += self._clear_zones(frame)
        ended = {tid for tid, last in self.state.seen.items() if seconds - last > TRACK_END_S}
        if ended:
            self._finish_tracks(ended)

    def _store_tracks(self, frame: Frame, tracks: np.ndarray, batch: Batch, stats: Stats) -> None:
        observed_at = self._time(frame)
        ground, located = self._ground(tracks[:, :4])
        for row, (lon, lat) in zip(tracks, ground, strict=True):
            local_id, score, class_index = int(row[4]), float(row[5]), int(row[6])
            object_class = self.detector.classes[class_index]
            track_id = self.run_id * TRACK_ID_SPAN + local_id
            first = local_id not in self.state.seen
            self.state.seen[local_id] = frame.seconds
            box = [int(round(v)) for v in row[:4]]
            batch.rows.append(
                (
                    self.camera.id,
                    observed_at,
                    track_id,
                    object_class,
                    min(max(score, 0.0), 1.0),
                    located,
                    box,
                    float(lon),
                    float(lat),
                    first,
                )
            )
            stats.rows += 1
            self.evidence.offer(track_id, score, row[:4], frame.image)
            if located and self.rules:
                for event in self.rules.observe(track_id, object_class, TrackPoint(frame.seconds, lon, lat)):
                    evidence = ""
                    if event.kind in ("intrusion", "dwell"):
                        evidence = self.evidence.frame(
                            f"{event.kind}-{track_id}-{frame.index}.jpg", frame.image, row[:4]
                        )
                    batch.events.append(
                        EventRow(
                            self.camera.id,
                            track_id,
                            event.rule,
                            event.kind,
                            event.direction,
                            object_class,
                            observed_at,
                            float(lon),
                            float(lat),
                            evidence,
                        )
                    )

    def _clear_zones(self, frame: Frame) -> list[EventRow]:
        at = self._time(frame)
        lon, lat = self.camera.lonlat
        return [
            EventRow(self.camera.id, 0, e.rule, "clear", 0, "person", at, lon, lat)
            for e in self.rules.clear_events(frame.seconds)
        ]

    def _finish_tracks(self, local_ids: set[int]) -> None:
        """Write the ended tracks' evidence and forget them."""
        global_ids = {self.run_id * TRACK_ID_SPAN + tid for tid in local_ids}
        self.evidence.finish(global_ids)
        self.rules.forget(global_ids)
        for tid in local_ids:
            self.state.seen.pop(tid, None)
