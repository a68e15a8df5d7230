"""Motion gate (as Frigate does): skip frames where nothing moves, with a state small enough to checkpoint.

A running average of a small grey frame (cv2.accumulateWeighted) is the background; the gate opens
when enough pixels differ from it. Unlike MOG2, its whole state is one numpy array, so a resumed
worker gates exactly as the killed one would have.
"""

from __future__ import annotations

import cv2
import numpy as np


class MotionGate:
    """`gate(frame)` is True when something moves; `state`/`restore` save and reload it."""

    def __init__(
        self, width: int = 160, alpha: float = 0.05, threshold: int = 20, min_fraction: float = 0.0015
    ):
        self.width, self.alpha, self.threshold, self.min_fraction = width, alpha, threshold, min_fraction
        self.background: np.ndarray | None = None

    def _small_grey(self, frame: np.ndarray) -> np.ndarray:
        h, w = frame.shape[:2]
        small = cv2.resize(
            frame, (self.width, max(1, round(h * self.width / w))), interpolation=cv2.INTER_AREA
        )
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
        return cv2.GaussianBlur(grey, (5, 5), 0).astype(np.float32)

    def __call__(self, frame: np.ndarray) -> bool:
        grey = self._small_grey(frame)
        if self.background is None:
            self.background = grey
            return True
        moving = np.count_nonzero(cv2.absdiff(grey, self.background) > self.threshold)
        cv2.accumulateWeighted(grey, self.background, self.alpha)
        return moving >= self.min_fraction * grey.size

    @property
    def state(self) -> np.ndarray | None:
        return None if self.background is None else self.background.copy()

    def restore(self, state: np.ndarray | None) -> None:
        self.background = None if state is None else state.copy()
