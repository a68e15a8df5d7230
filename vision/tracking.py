"""Tracking: ultralytics' BYTETracker called directly, so one object is one track id across frames.

The tracker's whole state pickles (a few KB) and resumes with the same ids, including the next new one;
the worker stores it in its checkpoint.
"""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import numpy as np

from vision.offline import prepare_environment


class _Detections:
    """The slice of ultralytics' Boxes that BYTETracker reads (conf, cls, xywh, boolean indexing)."""

    def __init__(self, data: np.ndarray, xywh: np.ndarray | None = None) -> None:
        self.data = data
        self.conf, self.cls = data[:, 4], data[:, 5]
        if xywh is None:
            xywh = np.empty((len(data), 4), np.float32)
            xywh[:, :2] = (data[:, :2] + data[:, 2:4]) / 2
            xywh[:, 2:] = data[:, 2:4] - data[:, :2]
        self.xywh = xywh

    @property
    def xyxy(self) -> np.ndarray:
        return self.data[:, :4]

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index) -> _Detections:
        return _Detections(self.data[index], self.xywh[index])


class Tracker:
    """`update(detections, frame)` → (M, 8) rows [x1, y1, x2, y2, track_id, score, class_index, det_index]."""

    def __init__(
        self,
        frame_rate: float = 10.0,
        buffer_seconds: float = 3.0,
        high: float = 0.25,
        low: float = 0.1,
        new: float = 0.3,
        match: float = 0.8,
    ) -> None:
        prepare_environment()
        from ultralytics.trackers.byte_tracker import BYTETracker

        args = SimpleNamespace(
            track_high_thresh=high,
            track_low_thresh=low,
            new_track_thresh=new,
            track_buffer=max(1, round(buffer_seconds * frame_rate)),
            match_thresh=match,
            fuse_score=True,
        )
        self._tracker = BYTETracker(args)

    def update(self, detections: np.ndarray, frame: np.ndarray) -> np.ndarray:
        rows = self._tracker.update(_Detections(np.asarray(detections, np.float32)), frame)
        return np.asarray(rows, dtype=np.float64).reshape(-1, 8)

    @property
    def state(self) -> bytes:
        return pickle.dumps(self._tracker)

    def restore(self, state: bytes) -> None:
        """Resume from `state` (bytes this class produced, read back from our own checkpoint table)."""
        self._tracker = pickle.loads(state)  # noqa: S301  (our own checkpoint, never user input)
