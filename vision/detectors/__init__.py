"""Detector registry: built-in names ("onnx", "ultralytics", "hog") or a dotted path to a Detector class."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from vision.detectors.base import Detector
from vision.errors import ModelError

BUILT_IN = {
    "onnx": "vision.detectors.onnx_runtime.OnnxDetector",
    "ultralytics": "vision.detectors.ultralytics_yolo.UltralyticsDetector",
    "hog": "vision.detectors.hog.HogDetector",
}


def detector_class(name: str) -> type[Detector]:
    """The class registered as `name`, or the class at dotted path `name` (package.module.Class)."""
    dotted = BUILT_IN.get(name, name)
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        raise ModelError(f"unknown detector {name!r}: use one of {sorted(BUILT_IN)} or a dotted path")
    try:
        found = getattr(import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"detector {name!r} cannot be imported ({exc}); check the dotted path") from exc
    if not (isinstance(found, type) and issubclass(found, Detector)):
        raise ModelError(f"{dotted} is not a vision.detectors.base.Detector subclass")
    return found


def load_detector(name: str, weights: str | Path | None, **options) -> Detector:
    """A ready detector; `options` are confidence, iou, threads (and the class's own extras)."""
    return detector_class(name)(weights, **options)
