"""Evidence snapshots: the best crop of each track (confidence × area) and incident frames, as JPEG files
under MEDIA_ROOT/vision/evidence/, deleted after the retention period."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

logger = logging.getLogger(__name__)

SUBDIR = Path("vision") / "evidence"
JPEG_QUALITY = 85


@dataclass
class _Best:
    score: float
    crop: np.ndarray


class EvidenceKeeper:
    """Keeps each live track's best crop in memory and writes it when the track ends."""

    def __init__(self, media_root: Path, camera_id: int, margin: float = 0.25) -> None:
        self.root = Path(media_root)
        self.folder = SUBDIR / f"camera-{camera_id}"
        self.margin = margin
        self._best: dict[int, _Best] = {}

    def offer(self, track_id: int, confidence: float, box: np.ndarray, frame: np.ndarray) -> None:
        """Keep this view of the track if it beats the one kept (a crop, so memory stays small)."""
        x1, y1, x2, y2 = (float(v) for v in box[:4])
        score = confidence * max(x2 - x1, 1) * max(y2 - y1, 1)
        best = self._best.get(track_id)
        if best is not None and best.score >= score:
            return
        mx, my = (x2 - x1) * self.margin, (y2 - y1) * self.margin
        h, w = frame.shape[:2]
        crop = frame[int(max(0, y1 - my)) : int(min(h, y2 + my)), int(max(0, x1 - mx)) : int(min(w, x2 + mx))]
        if crop.size:
            self._best[track_id] = _Best(score, crop.copy())

    def finish(self, track_ids: set[int]) -> list[str]:
        """Write the kept crops of tracks that ended; returns their paths under MEDIA_ROOT."""
        written = []
        for track_id in track_ids & set(self._best):
            written.append(self._write(f"track-{track_id}.jpg", self._best.pop(track_id).crop))
        return written

    def frame(self, name: str, frame: np.ndarray, box: np.ndarray) -> str:
        """The whole frame with the object boxed (for incidents); returns its path under MEDIA_ROOT."""
        image = frame.copy()
        x1, y1, x2, y2 = (int(v) for v in box[:4])
        cv2.rectangle(image, (x1, y1), (x2, y2), (0, 0, 255), 2)
        return self._write(name, image)

    def _write(self, name: str, image: np.ndarray) -> str:
        relative = self.folder / name
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(target), image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        return relative.as_posix()


def purge(media_root: Path, days: float, now: float | None = None) -> int:
    """Delete evidence files older than `days`; returns how many were deleted."""
    cutoff = (now or time.time()) - days * 86400
    folder = Path(media_root) / SUBDIR
    removed = 0
    for path in folder.rglob("*.jpg") if folder.exists() else ():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    logger.info("purged %d evidence files older than %s days", removed, days)
    return removed
