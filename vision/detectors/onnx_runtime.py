"""The default detector: a YOLO model exported to ONNX, run by ONNX Runtime directly (no torch import)."""

from __future__ import annotations

import ast
from pathlib import Path

import cv2
import numpy as np

from vision.classes import object_classes
from vision.detectors.base import EMPTY, Detector
from vision.errors import ModelError


class OnnxDetector(Detector):
    """Letterbox to the model's fixed input, one ORT session, YOLO decode and class-aware NMS."""

    def __init__(self, weights: str | Path, confidence: float = 0.3, iou: float = 0.5, threads: int = 1):
        import onnxruntime as ort

        path = Path(weights)
        if not path.is_file():
            raise ModelError(f"ONNX model {path} not found; set IOC_VISION_WEIGHTS or run `ioc vision train`")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001  (ORT raises its own untyped errors)
            raise ModelError(f"{path} is not a usable ONNX model: {exc}") from exc
        meta = self.session.get_modelmeta().custom_metadata_map
        if "names" not in meta:
            raise ModelError(f"{path} has no class names in its metadata; export it with ultralytics")
        self.classes = object_classes(ast.literal_eval(meta["names"]))
        node = self.session.get_inputs()[0]
        self.input_name = node.name
        self.height, self.width = int(node.shape[2]), int(node.shape[3])
        self.confidence, self.iou = confidence, iou

    def _letterbox(self, frame: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
        h, w = frame.shape[:2]
        scale = min(self.width / w, self.height / h)
        nw, nh = round(w * scale), round(h * scale)
        left, top = (self.width - nw) // 2, (self.height - nh) // 2
        canvas = np.full((self.height, self.width, 3), 114, np.uint8)
        canvas[top : top + nh, left : left + nw] = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_LINEAR)
        blob = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0
        return np.ascontiguousarray(blob), scale, (left, top)

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        blob, scale, (left, top) = self._letterbox(frame)
        output = self.session.run(None, {self.input_name: blob})[0][0]  # (4 + nc, anchors)
        scores = output[4:]
        cls = scores.argmax(axis=0)
        conf = scores[cls, np.arange(scores.shape[1])]
        keep = (conf >= self.confidence) & np.isin(cls, list(self.classes))
        if not keep.any():
            return EMPTY
        cx, cy, bw, bh = output[:4, keep]
        boxes = np.stack(
            [(cx - bw / 2 - left) / scale, (cy - bh / 2 - top) / scale, bw / scale, bh / scale], 1
        )
        conf, cls = conf[keep], cls[keep]
        chosen = cv2.dnn.NMSBoxesBatched(
            boxes.tolist(), conf.tolist(), cls.tolist(), self.confidence, self.iou
        )
        chosen = np.asarray(chosen, dtype=int).reshape(-1)
        b = boxes[chosen]
        h, w = frame.shape[:2]
        x1, y1 = np.clip(b[:, 0], 0, w), np.clip(b[:, 1], 0, h)
        x2, y2 = np.clip(b[:, 0] + b[:, 2], 0, w), np.clip(b[:, 1] + b[:, 3], 0, h)
        return np.stack([x1, y1, x2, y2, conf[chosen], cls[chosen]], 1).astype(np.float32)
