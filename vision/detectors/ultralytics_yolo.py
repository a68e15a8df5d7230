"""A detector through ultralytics' YOLO class: any local .pt (PyTorch) or .onnx file a city provides."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vision.classes import object_classes
from vision.detectors.base import EMPTY, Detector
from vision.offline import yolo


class UltralyticsDetector(Detector):
    """ultralytics' own pre/post-processing; `imgsz` is the long side the frame is resized to."""

    def __init__(
        self,
        weights: str | Path,
        confidence: float = 0.3,
        iou: float = 0.5,
        threads: int = 1,
        imgsz: int = 320,
    ):
        import torch

        torch.set_num_threads(threads)
        self.model = yolo(weights)
        self.classes = object_classes(self.model.names)
        self.options = {"conf": confidence, "iou": iou, "imgsz": imgsz, "device": "cpu", "verbose": False}

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        result = self.model.predict(frame, **self.options)[0]
        if result.boxes is None or len(result.boxes) == 0:
            return EMPTY
        data = result.boxes.data.cpu().numpy().astype(np.float32)
        return data[np.isin(data[:, 5].astype(int), list(self.classes))]
