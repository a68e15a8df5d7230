"""A YOLO training set of random synthetic street scenes (images, label files and data.yaml)."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from vision.synthetic.scene import (
    CLASS_NAMES,
    HEIGHT,
    ROAD_HALF_WIDTH,
    SIDEWALK_WIDTH,
    WIDTH,
    Agent,
    Camera,
    Label,
    background,
    make_agent,
    render,
)

logger = logging.getLogger(__name__)

# How often each class appears: people and two-wheelers dominate Vietnamese streets.
CLASS_WEIGHTS = {"nguoi": 0.26, "xe_dap": 0.12, "xe_may": 0.26, "o_to": 0.18, "xe_buyt": 0.08, "xe_tai": 0.10}


def random_camera(rng: np.random.Generator) -> Camera:
    """A camera 5–12 m up beside the road, looking at it obliquely."""
    height = rng.uniform(5, 12)
    back = rng.uniform(6, 22)
    yaw = rng.uniform(-0.6, 0.6)
    target_distance = back / max(np.cos(yaw), 0.3) + rng.uniform(-2, 6)
    pitch = np.arctan2(height, target_distance) + rng.uniform(-0.09, 0.09)
    return Camera((rng.uniform(-5, 5), -back, height), yaw, pitch, rng.uniform(420, 620))


def _place(kind: str, ground: tuple[float, float], rng: np.random.Generator) -> Agent:
    x, y = ground
    if kind == "nguoi":
        if abs(y) < ROAD_HALF_WIDTH and rng.random() < 0.7:
            y = float(np.sign(y or 1) * rng.uniform(ROAD_HALF_WIDTH, ROAD_HALF_WIDTH + SIDEWALK_WIDTH))
        heading = float(rng.choice([0, np.pi, np.pi / 2, -np.pi / 2]) + rng.normal(0, 0.2))
    else:
        side = 1 if y >= 0 else -1
        lane = rng.uniform(0.9, ROAD_HALF_WIDTH - 0.9)
        y = side * lane
        heading = (0.0 if side < 0 else np.pi) + rng.normal(0, 0.05)
    return make_agent(kind, x, y, heading, rng)


def random_scene(rng: np.random.Generator) -> tuple[np.ndarray, list[Label]]:
    """One image with 6–18 agents seen by a random camera, with jitter and blur."""
    camera = random_camera(rng)
    base = background(camera, rng, zebra_x=float(rng.uniform(-15, 15)) if rng.random() < 0.5 else None)
    horizon = _horizon_row(camera)
    kinds = rng.choice(list(CLASS_WEIGHTS), size=int(rng.integers(6, 19)), p=list(CLASS_WEIGHTS.values()))
    agents = []
    for kind in kinds:
        v = rng.uniform(max(horizon + 15, 0), HEIGHT + 60)
        ground = camera.pixels_to_ground(np.array([[rng.uniform(-40, WIDTH + 40), v]]))[0]
        if not np.isfinite(ground).all() or np.hypot(*ground) > 150:
            continue
        agents.append(_place(str(kind), (float(ground[0]), float(ground[1])), rng))
    image, labels = render(camera, base, agents)
    gain, bias = rng.uniform(0.7, 1.25), rng.uniform(-25, 25)
    image = np.clip(image.astype(np.float32) * gain + bias, 0, 255).astype(np.uint8)
    if rng.random() < 0.4:
        image = cv2.GaussianBlur(image, (3, 3), rng.uniform(0.3, 1.2))
    return image, labels


def _horizon_row(camera: Camera) -> float:
    return HEIGHT / 2 - camera.focal * np.tan(camera.pitch)


def yolo_lines(labels: list[Label], size: tuple[int, int] = (WIDTH, HEIGHT)) -> list[str]:
    """Label-file lines: class and normalised centre/size."""
    w, h = size
    lines = []
    for label in labels:
        x1, y1, x2, y2 = label.box
        lines.append(
            f"{label.class_index} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
            f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}"
        )
    return lines


def write_dataset(root: Path, train: int, val: int, seed: int = 0) -> Path:
    """Write `train` + `val` scenes under root; returns the data.yaml path."""
    rng = np.random.default_rng(seed)
    for split, count in (("train", train), ("val", val)):
        images, labels = root / "images" / split, root / "labels" / split
        images.mkdir(parents=True, exist_ok=True)
        labels.mkdir(parents=True, exist_ok=True)
        for index in range(count):
            image, found = random_scene(rng)
            cv2.imwrite(str(images / f"{index:05d}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
            (labels / f"{index:05d}.txt").write_text("\n".join(yolo_lines(found)) + "\n")
    data = root / "data.yaml"
    names = "\n".join(f"  {i}: {name}" for i, name in enumerate(CLASS_NAMES))
    data.write_text(f"path: {root.resolve()}\ntrain: images/train\nval: images/val\nnames:\n{names}\n")
    logger.info("wrote %d + %d synthetic scenes under %s", train, val, root)
    return data
