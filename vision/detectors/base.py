"""The detector contract: a frame in, boxes out, with class codes from layers.vocabularies.OBJECT_CLASS."""

from __future__ import annotations

import numpy as np


class Detector:
    """Finds objects in one BGR frame.

    `__call__(frame)` returns an (N, 6) float32 array of [x1, y1, x2, y2, confidence, class_index]
    in the frame's pixels, e.g. ``[[120, 80, 160, 190, 0.91, 0]]`` for one person; `classes` maps
    each class_index to an OBJECT_CLASS code (``{0: "person", 3: "car"}``).
    """

    classes: dict[int, str] = {}  # noqa: RUF012  (set by each detector)

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def close(self) -> None:
        """Release resources (sessions, threads); the default has none."""


EMPTY = np.zeros((0, 6), np.float32)
