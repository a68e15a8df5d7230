"""The fallback detector: OpenCV's built-in HOG people detector (people only, close range, no weights)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from vision.detectors.base import EMPTY, Detector
from vision.errors import ModelError


class HogDetector(Detector):
    """Dalal–Triggs HOG + linear SVM; finds upright people about 100 px tall or more."""

    classes = {0: "person"}  # noqa: RUF012

    def __init__(
        self,
        weights: str | Path | None = None,
        confidence: float = 0.3,
        iou: float = 0.4,
        threads: int = 1,
        win_stride: int = 8,
        scale: float = 1.05,
    ):
        if not hasattr(cv2, "HOGDescriptor"):
            raise ModelError("this OpenCV has no HOGDescriptor (OpenCV 5?); install opencv-python-headless<5")
        cv2.setNumThreads(threads)
        self.hog = cv2.HOGDescriptor()
        self.hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        self.confidence, self.iou = confidence, iou
        self.stride, self.scale = (win_stride, win_stride), scale

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        rects, weights = self.hog.detectMultiScale(
            frame, winStride=self.stride, padding=(8, 8), scale=self.scale
        )
        if len(rects) == 0:
            return EMPTY
        # SVM margins → (0, 1) so that they read like the other detectors' confidences.
        conf = 1.0 / (1.0 + np.exp(-np.asarray(weights, dtype=np.float32).reshape(-1)))
        chosen = np.asarray(
            cv2.dnn.NMSBoxes(rects.tolist(), conf.tolist(), self.confidence, self.iou)
        ).reshape(-1)
        if len(chosen) == 0:
            return EMPTY
        r = rects[chosen].astype(np.float32)
        return np.column_stack(
            [
                r[:, 0],
                r[:, 1],
                r[:, 0] + r[:, 2],
                r[:, 1] + r[:, 3],
                conf[chosen],
                np.zeros(len(chosen), np.float32),
            ]
        ).astype(np.float32)
