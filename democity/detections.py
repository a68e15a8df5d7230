"""Camera AI detections: 100,000 tracked objects in the cameras' fields of view over 90 days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from democity.city import City
from democity.frame import FRAME
from democity.rng import choose
from democity.timeline import DAY_S, HOURLY, Window

COUNT = 100_000
CLASSES = {"motorbike": 62.0, "car": 16.0, "person": 10.0, "truck": 5.0, "bicycle": 4.0, "bus": 3.0}
SPEED_M_S = {"motorbike": 8.0, "car": 9.0, "person": 1.3, "truck": 7.0, "bicycle": 4.0, "bus": 7.0}
TRACK_P, TRACK_MAX = 0.4, 8  # track lengths are geometric, capped
GROUND_SHARE = 0.94  # the rest could not be placed on the ground: they sit on the cone's axis
FIRST_TRACK_ID = 1_000_001


def _track_lengths(rng: np.random.Generator) -> np.ndarray:
    lengths = np.minimum(rng.geometric(TRACK_P, COUNT), TRACK_MAX)
    total = np.cumsum(lengths)
    n = int(np.searchsorted(total, COUNT)) + 1
    lengths = lengths[:n]
    lengths[-1] -= int(total[n - 1]) - COUNT
    return lengths


def _track_starts(
    rng: np.random.Generator, window: Window, cameras: pd.DataFrame, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Camera and start second of each track; a camera that is down sent nothing lately."""
    busy = rng.lognormal(0.0, 0.4, len(cameras))
    camera = rng.choice(len(cameras), size=n, p=busy / busy.sum())
    cumulative = np.cumsum(window.weekly(0.85, rng, 0.1))
    active_days = window.days - cameras.down_days.to_numpy()[camera]
    day = np.searchsorted(cumulative, rng.random(n) * cumulative[active_days - 1], side="right")
    hours = np.asarray(HOURLY["traffic"])
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    return camera, day * DAY_S + hour * 3600 + rng.integers(0, 3600 - TRACK_MAX, n)


def _positions(
    rng: np.random.Generator,
    cameras: pd.DataFrame,
    camera: np.ndarray,
    track: np.ndarray,
    step: np.ndarray,
    speed: np.ndarray,
    grounded: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(u, v) of each detection: a track keeps its direction from the camera and moves along it."""
    reach = cameras.range_m.to_numpy()[camera]
    half = cameras.fov_deg.to_numpy()[camera] / 2.0
    angle = rng.uniform(-half, half)[track]
    start = (reach * np.sqrt(rng.uniform(0.01, 1.0, len(camera))))[track]
    heading = np.where(rng.random(len(camera)) < 0.5, -1.0, 1.0)[track]
    reach = reach[track]
    distance = np.clip(start + heading * speed * step, 3.0, reach)
    angle, distance = np.where(grounded, angle, 0.0), np.where(grounded, distance, reach / 2.0)
    du, dv = FRAME.direction_of(cameras.bearing_deg.to_numpy()[camera[track]] + angle)
    points = cameras.geometry.to_numpy()[camera[track]]
    return shapely.get_x(points) + du * distance, shapely.get_y(points) + dv * distance


def build_detections(
    rng: np.random.Generator, city: City, cameras: pd.DataFrame, window: Window
) -> pd.DataFrame:
    """Detections sorted by time; rush hours at 6–8 and 16–18 h, little at night."""
    lengths = _track_lengths(rng)
    camera, start = _track_starts(rng, window, cameras, len(lengths))
    kind = choose(rng, CLASSES, len(lengths))
    track = np.repeat(np.arange(len(lengths)), lengths)
    step = np.arange(COUNT) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    grounded = rng.random(COUNT) < GROUND_SHARE
    speed = np.array([SPEED_M_S[k] for k in kind])[track]
    u, v = _positions(rng, cameras, camera, track, step, speed, grounded)
    confidence = 0.3 + 0.69 * rng.beta(6.0, 2.0, COUNT) * np.where(kind[track] == "person", 0.9, 1.0)
    frame = (
        pd.DataFrame(
            {
                "camera_code": cameras.code.to_numpy()[camera[track]],
                "object_class": kind[track],
                "confidence": confidence.round(3),
                "seconds": start[track] + step,
                "track_id": FIRST_TRACK_ID + track,
                "ground_located": grounded,
                "u": u,
                "v": v,
            }
        )
        .sort_values(["seconds", "track_id"], kind="stable")
        .reset_index(drop=True)
    )
    frame["observed_at"] = window.iso(frame.seconds.to_numpy())
    frame["ward_code"] = city.ward_of(frame.u.to_numpy(), frame.v.to_numpy())
    frame["geometry"] = shapely.points(frame.u.to_numpy(), frame.v.to_numpy())
    return frame[
        [
            "camera_code",
            "object_class",
            "confidence",
            "observed_at",
            "track_id",
            "ground_located",
            "ward_code",
            "geometry",
        ]
    ]
