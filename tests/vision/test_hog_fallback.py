"""The HOG fallback (OpenCV's people detector, no weights) finds humanoid figures 100 px tall or more."""

from __future__ import annotations

import numpy as np

from vision.detectors import detector_class, load_detector
from vision.detectors.hog import HogDetector
from vision.synthetic.scene import Camera, background, make_agent, render

# A camera close to the sidewalk: people 5–9 m away stand 100–170 px tall.
CLOSE = Camera(position=(0.0, -12.0, 2.0), yaw=0.0, pitch=0.08, focal=560.0)


def _scene(distances: list[float]) -> tuple[np.ndarray, list[tuple]]:
    rng = np.random.default_rng(4)
    people = [
        make_agent("nguoi", x, -12.0 + d, 0.0, rng) for x, d in zip((-2.5, 0.0, 2.5), distances, strict=True)
    ]
    image, labels = render(CLOSE, background(CLOSE, rng, zebra_x=None), people)
    return image, [label.box for label in labels]


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_hog_is_a_registered_detector_for_people_only():
    assert detector_class("hog") is HogDetector
    assert HogDetector.classes == {0: "person"}


def test_hog_finds_each_humanoid_figure_of_100_px_or_more():
    image, truth = _scene([9.0, 7.0, 5.5])
    heights = [b[3] - b[1] for b in truth]
    assert len(truth) == 3 and min(heights) >= 100
    found = load_detector("hog", None, confidence=0.3)(image)
    assert found.shape[1] == 6 and set(found[:, 5]) <= {0.0}
    matched = [max((_iou(t, f[:4]) for f in found), default=0.0) for t in truth]
    assert all(m >= 0.3 for m in matched), (heights, matched)
