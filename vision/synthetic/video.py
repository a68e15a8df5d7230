"""A synthetic street video on a fixed camera, with objects on timed ground paths and a truth JSON.

The scenario (15 objects) is the acceptance test's: 14 cross the counting line x = 0 (7 each way),
one pedestrian walks into the restricted zone on the far sidewalk, stands there 8 s and walks out.
Pedestrians never pass in front of each other near the zone. The ground frame (x east, y north, m)
is placed on the map at a lon/lat and bearing, so the truth carries lon/lat too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np
from pyproj import Transformer

from vision.synthetic.scene import Camera, background, make_agent, render

FPS = 10
DURATION_S = 40
CAMERA = Camera(position=(0.0, -14.0, 8.0), yaw=0.0, pitch=float(np.arctan2(8.0, 14.0)), focal=560.0)
COUNTING_LINE = ((0.0, -9.0), (0.0, 9.0))  # metres; crossing it eastwards is +1 in zones.CountingLine
RESTRICTED_ZONE = ((5.5, 5.3), (10.5, 5.3), (10.5, 8.3), (5.5, 8.3))
DWELL_SECONDS = 5.0

# (class, start second, speed m/s, waypoints (x, y) m, pauses {waypoint index: seconds})
ScriptLine = tuple[str, float, float, tuple[tuple[float, float], ...], dict[int, float]]
SCRIPT: tuple[ScriptLine, ...] = (
    ("o_to", 0.0, 9.0, ((-24, -1.4), (24, -1.4)), {}),
    ("xe_dap", 1.0, 4.0, ((-20, -3.7), (20, -3.7)), {}),
    ("nguoi", 0.0, 1.4, ((-15, -5.8), (15, -5.8)), {}),
    ("xe_may", 13.0, 7.0, ((-22, -3.7), (22, -3.7)), {}),
    ("xe_tai", 23.0, 8.0, ((-26, -1.4), (26, -1.4)), {}),
    ("nguoi", 22.0, 1.3, ((-14, -5.8), (10, -5.8)), {}),
    ("o_to", 31.0, 10.0, ((-24, -1.4), (24, -1.4)), {}),
    ("xe_may", 2.0, 7.0, ((22, 3.7), (-22, 3.7)), {}),
    ("o_to", 6.0, 9.0, ((24, 1.4), (-24, 1.4)), {}),
    ("xe_dap", 25.0, 4.0, ((20, 3.7), (-20, 3.7)), {}),
    ("xe_buyt", 24.0, 7.0, ((27, 1.4), (-27, 1.4)), {}),
    ("nguoi", 24.0, 1.4, ((15, 6.5), (-12, 6.5)), {}),
    ("xe_may", 28.0, 8.0, ((22, 3.7), (-22, 3.7)), {}),
    ("o_to", 15.0, 9.0, ((24, 1.4), (-24, 1.4)), {}),
    ("nguoi", 2.0, 1.3, ((19, 7.0), (8, 6.8), (19, 7.2)), {1: 8.0}),  # the intruder
)


@dataclass(frozen=True)
class Route:
    """A timed polyline: where an object is at each second (None before it starts or after it ends)."""

    kind: str
    start: float
    speed: float
    waypoints: tuple[tuple[float, float], ...]
    pauses: dict[int, float]

    @cached_property
    def _schedule(self) -> list[tuple[float, float, np.ndarray, np.ndarray]]:
        """Legs (t0, t1, from, to), pauses included as legs that do not move."""
        legs, t = [], self.start
        points = [np.asarray(p, float) for p in self.waypoints]
        for i, (a, b) in enumerate(zip(points, points[1:], strict=False)):
            if i in self.pauses:
                legs.append((t, t + self.pauses[i], a, a))
                t += self.pauses[i]
            duration = np.linalg.norm(b - a) / self.speed
            legs.append((t, t + duration, a, b))
            t += duration
        return legs

    def at(self, seconds: float) -> tuple[np.ndarray, float] | None:
        """(position, heading) at `seconds`, or None when the object is not in the scene."""
        for t0, t1, a, b in self._schedule:
            if t0 <= seconds <= t1:
                f = 0.0 if t1 == t0 else (seconds - t0) / (t1 - t0)
                direction = b - a if np.any(b != a) else self._last_direction(t0)
                return a + f * (b - a), float(np.arctan2(direction[1], direction[0]))
        return None

    def _last_direction(self, before: float) -> np.ndarray:
        moving = [b - a for t0, _t1, a, b in self._schedule if t0 < before and np.any(b != a)]
        return moving[-1] if moving else np.array([1.0, 0.0])

    def crossings(self, x: float = 0.0) -> int:
        """+1 per eastward crossing of the vertical line at `x`, −1 per westward one."""
        total = 0
        for (ax, _), (bx, _) in zip(self.waypoints, self.waypoints[1:], strict=False):
            if min(ax, bx) < x < max(ax, bx):
                total += 1 if bx > ax else -1
        return total


def script_routes() -> list[Route]:
    """The scenario's 15 routes, in SCRIPT order."""
    return [Route(*line) for line in SCRIPT]


@dataclass(frozen=True)
class GeoFrame:
    """Places the scene's ground on the map: the camera stands at `camera_lonlat`, looking at `bearing`."""

    camera_lonlat: tuple[float, float]
    bearing_deg: float

    @cached_property
    def _transformer(self) -> Transformer:
        lon, lat = self.camera_lonlat
        return Transformer.from_crs(
            "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", always_xy=True
        )

    def to_lonlat(self, points: np.ndarray) -> np.ndarray:
        """(n, 2) scene metres → (n, 2) lon/lat."""
        p = np.atleast_2d(np.asarray(points, float))
        x, y = p[:, 0] - CAMERA.position[0], p[:, 1] - CAMERA.position[1]
        b = np.radians(self.bearing_deg)
        east, north = x * np.cos(b) + y * np.sin(b), -x * np.sin(b) + y * np.cos(b)
        lon, lat = self._transformer.transform(east, north, direction="INVERSE")
        return np.column_stack([lon, lat])

    def to_scene(self, lonlat: np.ndarray) -> np.ndarray:
        """(n, 2) lon/lat → (n, 2) scene metres (inverse of to_lonlat)."""
        p = np.atleast_2d(np.asarray(lonlat, float))
        east, north = self._transformer.transform(p[:, 0], p[:, 1])
        b = np.radians(self.bearing_deg)
        x, y = east * np.cos(b) - north * np.sin(b), east * np.sin(b) + north * np.cos(b)
        return np.column_stack([x + CAMERA.position[0], y + CAMERA.position[1]])


def reference_points(geo: GeoFrame, noise_px: float = 1.0, seed: int = 0) -> tuple[list, list]:
    """Six ground marks seen by the camera: (pixels with noise, lon/lat), as an operator would enter them."""
    rng = np.random.default_rng(seed)
    ground = np.array([(-8, -5), (8, -5), (-10, 5), (10, 5), (0, 0), (-4, 8)], float)
    h = CAMERA.ground_homography
    projected = np.column_stack([ground, np.ones(len(ground))]) @ h.T
    pixels = projected[:, :2] / projected[:, 2:3] + rng.normal(0, noise_px, (len(ground), 2))
    return pixels.round(1).tolist(), geo.to_lonlat(ground).tolist()


def write_video(
    path: str | Path, geo: GeoFrame, seconds: float = DURATION_S, seed: int = 0, size_scale: float = 1.0
) -> dict:
    """Render the scenario to an MJPG .avi (every frame a keyframe) and write `<path>.json` with the truth."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    base = background(CAMERA, rng, zebra_x=-6.0)
    paths = script_routes()
    agents = [make_agent(p.kind, 0.0, 0.0, 0.0, rng) for p in paths]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, CAMERA.size)
    positions: list[list] = []
    for frame in range(int(seconds * FPS)):
        t = frame / FPS
        present, row = [], []
        for index, (track, agent) in enumerate(zip(paths, agents, strict=True)):
            where = track.at(t)
            if where is None:
                continue
            (agent.x, agent.y), agent.heading = where[0], where[1]
            agent.phase += track.speed * 2.2 / FPS * (0 if _standing(track, t) else 1)
            present.append(agent)
            row.append([index, round(float(agent.x), 3), round(float(agent.y), 3)])
        image, _labels = render(CAMERA, base, present)
        writer.write(image)
        positions.append(row)
    writer.release()
    truth = _truth(paths, geo, positions)
    path.with_suffix(".json").write_text(json.dumps(truth))
    return truth


def _standing(track: Route, t: float) -> bool:
    where, later = track.at(t), track.at(t + 0.1)
    return where is not None and later is not None and np.allclose(where[0], later[0])


def _truth(paths: list[Route], geo: GeoFrame, positions: list[list]) -> dict:
    crossings = [p.crossings() for p in paths]
    zone = np.asarray(RESTRICTED_ZONE)
    seen = {index for row in positions for index, *_ in row}
    return {
        "fps": FPS,
        "camera_lonlat": list(geo.camera_lonlat),
        "bearing_deg": geo.bearing_deg,
        "ground_homography": CAMERA.ground_homography.tolist(),
        "objects": [
            {
                "class": p.kind,
                "waypoints": geo.to_lonlat(np.asarray(p.waypoints)).tolist(),
                "waypoints_m": [list(w) for w in p.waypoints],
            }
            for p in paths
        ],
        "objects_seen": len(seen),
        "crossings": {"east": sum(c > 0 for c in crossings), "west": sum(c < 0 for c in crossings)},
        "counting_line": geo.to_lonlat(np.asarray(COUNTING_LINE)).tolist(),
        "restricted_zone": geo.to_lonlat(zone).tolist(),
        "dwell_seconds": DWELL_SECONDS,
        "intrusions": 1,
        "positions_m": positions,
    }
