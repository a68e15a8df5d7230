"""Synthetic street scenes: a pinhole camera over a flat road, drawn agents of the six classes.

The ground frame is local metres (x east, y north, z up) around a lon/lat origin. A camera K[R|t]
looks at the road; its ground homography H = K[r1 r2 t] is exact, so the truth for calibration and
for ground positions comes free. Agents are 3-D boxes (vehicles) or humanoid figures (people,
riders) drawn far to near; each label is the box of the agent's projected extent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

WIDTH, HEIGHT = 640, 360
CLASS_NAMES = ("nguoi", "xe_dap", "xe_may", "o_to", "xe_buyt", "xe_tai")  # model names (ASCII)
ROAD_HALF_WIDTH = 5.0  # m: two lanes each way
SIDEWALK_WIDTH = 3.0


@dataclass(frozen=True)
class Shape:
    """Size (m) and speed range (m/s) of one class."""

    length: float
    width: float
    height: float
    speed: tuple[float, float]


SHAPES = {
    "nguoi": Shape(0.5, 0.5, 1.7, (1.0, 1.6)),
    "xe_dap": Shape(1.7, 0.5, 1.7, (3.0, 5.0)),
    "xe_may": Shape(1.9, 0.7, 1.7, (6.0, 9.0)),
    "o_to": Shape(4.3, 1.8, 1.5, (7.0, 11.0)),
    "xe_buyt": Shape(11.0, 2.5, 3.2, (6.0, 8.0)),
    "xe_tai": Shape(7.5, 2.4, 3.5, (6.0, 9.0)),
}


@dataclass(frozen=True)
class Camera:
    """A pinhole camera at `position` (m), heading `yaw` (rad, 0 = north), tilted down by `pitch`."""

    position: tuple[float, float, float]
    yaw: float
    pitch: float
    focal: float
    size: tuple[int, int] = (WIDTH, HEIGHT)

    @property
    def rotation(self) -> np.ndarray:
        sy, cy, sp, cp = np.sin(self.yaw), np.cos(self.yaw), np.sin(self.pitch), np.cos(self.pitch)
        forward = np.array([sy * cp, cy * cp, -sp])
        right = np.array([cy, -sy, 0.0])
        down = np.cross(forward, right)
        return np.vstack([right, down, forward])

    @property
    def intrinsics(self) -> np.ndarray:
        w, h = self.size
        return np.array([[self.focal, 0, w / 2], [0, self.focal, h / 2], [0, 0, 1.0]])

    @property
    def translation(self) -> np.ndarray:
        return -self.rotation @ np.asarray(self.position, dtype=float)

    @property
    def ground_homography(self) -> np.ndarray:
        """H with pixel ~ H · (x, y, 1) for ground points (z = 0)."""
        r = self.rotation
        matrix = self.intrinsics @ np.column_stack([r[:, 0], r[:, 1], self.translation])
        return matrix / matrix[2, 2]

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n, 3) world points → (n, 2) pixels and (n,) depths along the optical axis."""
        camera = np.asarray(points, dtype=float) @ self.rotation.T + self.translation
        depth = camera[:, 2]
        pixels = camera[:, :2] / np.maximum(depth, 1e-6)[:, None] * self.focal
        return pixels + np.array(self.size) / 2.0, depth

    def pixels_to_ground(self, pixels: np.ndarray) -> np.ndarray:
        """(n, 2) pixels → (n, 2) ground metres (meaningless above the horizon)."""
        points = np.column_stack([pixels, np.ones(len(pixels))]) @ np.linalg.inv(self.ground_homography).T
        return points[:, :2] / points[:, 2:3]


@dataclass
class Agent:
    """One object on the ground: class name, position (m), heading (rad from +x) and looks."""

    kind: str
    x: float
    y: float
    heading: float
    color: tuple[int, int, int]
    phase: float = 0.0  # walking/pedalling phase, radians
    extra: dict = field(default_factory=dict)

    @property
    def shape(self) -> Shape:
        return SHAPES[self.kind]

    def corners(self) -> np.ndarray:
        """The 8 corners of the agent's 3-D extent."""
        return _box(self.x, self.y, self.heading, self.shape.length, self.shape.width, 0.0, self.shape.height)


def _box(x, y, heading, length, width, z0, z1, along=0.0) -> np.ndarray:
    c, s = np.cos(heading), np.sin(heading)
    cx, cy = x + along * c, y + along * s
    corners = []
    for z in (z0, z1):
        for dl, dw in ((1, 1), (1, -1), (-1, -1), (-1, 1)):
            corners.append(
                (
                    cx + dl * length / 2 * c - dw * width / 2 * s,
                    cy + dl * length / 2 * s + dw * width / 2 * c,
                    z,
                )
            )
    return np.asarray(corners)


# Faces of a box as corner indices, ordered so the normal points outwards.
_FACES = ((0, 1, 2, 3), (4, 7, 6, 5), (0, 4, 5, 1), (1, 5, 6, 2), (2, 6, 7, 3), (3, 7, 4, 0))


def _shade(color, factor: float) -> tuple[int, int, int]:
    return tuple(int(max(0, min(255, c * factor))) for c in color)


class Canvas:
    """An image plus an id mask (which agent owns each pixel) drawn by one camera."""

    def __init__(self, camera: Camera, background: np.ndarray) -> None:
        self.camera = camera
        self.image = background.copy()
        self.ids = np.zeros(background.shape[:2], np.int16)
        self.current = 0

    def polygon(self, points2d: np.ndarray, color) -> None:
        pts = np.round(points2d).astype(np.int32)
        cv2.fillConvexPoly(self.image, pts, color, lineType=cv2.LINE_AA)
        cv2.fillConvexPoly(self.ids, pts, self.current)

    def line(self, a, b, color, thickness: float) -> None:
        t = max(1, int(round(thickness)))
        a, b = tuple(int(round(v)) for v in a), tuple(int(round(v)) for v in b)
        cv2.line(self.image, a, b, color, t, cv2.LINE_AA)
        cv2.line(self.ids, a, b, self.current, t)

    def circle(self, centre, radius: float, color, thickness: int = -1) -> None:
        c, r = tuple(int(round(v)) for v in centre), max(1, int(round(radius)))
        cv2.circle(self.image, c, r, color, thickness, cv2.LINE_AA)
        cv2.circle(self.ids, c, r, self.current, thickness)

    def box(self, corners: np.ndarray, color) -> None:
        """A solid 3-D box, its visible faces shaded by their orientation."""
        eye = np.asarray(self.camera.position)
        pixels, _ = self.camera.project(corners)
        for face in _FACES:
            quad = corners[list(face)]
            normal = np.cross(quad[1] - quad[0], quad[3] - quad[0])
            if np.dot(normal, eye - quad.mean(axis=0)) <= 0:
                continue
            light = 0.55 + 0.45 * abs(normal[2] / (np.linalg.norm(normal) + 1e-9))
            light += 0.15 * (normal[0] / (np.linalg.norm(normal) + 1e-9))
            self.polygon(pixels[list(face)], _shade(color, light))


def _humanoid(canvas: Canvas, foot, top, color, phase: float, legs: bool = True) -> None:
    """A person seen upright: head, torso, arms and (walking) legs between `foot` and `top` pixels."""
    foot, top = np.asarray(foot, float), np.asarray(top, float)
    h = foot[1] - top[1]
    if h < 4:
        return
    x = (foot[0] + top[0]) / 2
    swing = np.sin(phase)
    skin, trousers = (150, 170, 205), _shade(color, 0.45)
    hip_y, shoulder_y = top[1] + 0.52 * h, top[1] + 0.19 * h
    if legs:
        for side in (-1, 1):
            canvas.line(
                (x + side * 0.05 * h, hip_y), (x + side * 0.16 * h * swing, foot[1]), trousers, 0.09 * h
            )
    torso = np.array(
        [[x - 0.13 * h, shoulder_y], [x + 0.13 * h, shoulder_y], [x + 0.10 * h, hip_y], [x - 0.10 * h, hip_y]]
    )
    canvas.polygon(torso, color)
    for side in (-1, 1):
        hand = (x + side * (0.17 * h) + 0.10 * h * swing * side, top[1] + 0.50 * h)
        canvas.line((x + side * 0.13 * h, shoulder_y + 0.02 * h), hand, _shade(color, 0.8), 0.06 * h)
    canvas.circle((x, top[1] + 0.08 * h), 0.075 * h, skin)


def _draw_person(canvas: Canvas, agent: Agent) -> None:
    (foot, top), _ = canvas.camera.project(np.array([[agent.x, agent.y, 0.0], [agent.x, agent.y, 1.7]]))
    _humanoid(canvas, foot, top, agent.color, agent.phase)


def _draw_two_wheeler(canvas: Canvas, agent: Agent) -> None:
    shape, c, s = agent.shape, np.cos(agent.heading), np.sin(agent.heading)
    radius = 0.33
    ends = [(agent.x + d * 0.36 * shape.length * c, agent.y + d * 0.36 * shape.length * s) for d in (-1, 1)]
    centres, _ = canvas.camera.project(np.array([[ex, ey, radius] for ex, ey in ends]))
    (ground, high), _ = canvas.camera.project(np.array([[agent.x, agent.y, 0.0], [agent.x, agent.y, 1.0]]))
    scale = ground[1] - high[1]  # pixels per metre here
    dark = (30, 30, 30)
    for centre in centres:
        canvas.circle(centre, radius * scale, dark, max(1, int(0.08 * scale)))
    if agent.kind == "xe_may":
        canvas.box(
            _box(agent.x, agent.y, agent.heading, shape.length * 0.6, 0.45, 0.3, 0.85), agent.extra["body"]
        )
    canvas.line(centres[0], centres[1], agent.extra["body"], max(1, 0.06 * scale))
    (seat, head), _ = canvas.camera.project(np.array([[agent.x, agent.y, 0.8], [agent.x, agent.y, 1.75]]))
    _humanoid(canvas, seat + np.array([0, 0.15 * scale]), head, agent.color, agent.phase, legs=False)
    canvas.line(
        seat, (seat[0] + 0.2 * scale * c, ground[1] - 0.3 * scale), _shade(agent.color, 0.45), 0.1 * scale
    )


def _draw_car(canvas: Canvas, agent: Agent) -> None:
    shape = agent.shape
    canvas.box(_box(agent.x, agent.y, agent.heading, shape.length, shape.width, 0.25, 0.95), agent.color)
    canvas.box(
        _box(
            agent.x,
            agent.y,
            agent.heading,
            shape.length * 0.5,
            shape.width * 0.9,
            0.95,
            shape.height,
            along=-0.05 * shape.length,
        ),
        (60, 55, 50),
    )


def _draw_bus(canvas: Canvas, agent: Agent) -> None:
    shape = agent.shape
    canvas.box(_box(agent.x, agent.y, agent.heading, shape.length, shape.width, 0.3, 1.7), agent.color)
    canvas.box(_box(agent.x, agent.y, agent.heading, shape.length, shape.width, 1.7, 2.6), (70, 60, 40))
    canvas.box(
        _box(agent.x, agent.y, agent.heading, shape.length, shape.width, 2.6, shape.height), agent.color
    )


def _draw_truck(canvas: Canvas, agent: Agent) -> None:
    shape = agent.shape
    cab = 1.9
    canvas.box(
        _box(
            agent.x,
            agent.y,
            agent.heading,
            shape.length - cab - 0.2,
            shape.width,
            0.6,
            shape.height,
            along=-(cab + 0.2) / 2,
        ),
        agent.extra["body"],
    )
    canvas.box(
        _box(
            agent.x, agent.y, agent.heading, cab, shape.width * 0.95, 0.4, 2.6, along=(shape.length - cab) / 2
        ),
        agent.color,
    )


_DRAW = {
    "nguoi": _draw_person,
    "xe_dap": _draw_two_wheeler,
    "xe_may": _draw_two_wheeler,
    "o_to": _draw_car,
    "xe_buyt": _draw_bus,
    "xe_tai": _draw_truck,
}


@dataclass(frozen=True)
class Label:
    """One visible agent: class index and box (x1, y1, x2, y2) in pixels, clipped to the frame."""

    class_index: int
    box: tuple[float, float, float, float]
    agent_index: int


def render(camera: Camera, background: np.ndarray, agents: list[Agent]) -> tuple[np.ndarray, list[Label]]:
    """Draw the agents far to near; label those ≥ 25 % visible and ≥ 50 % inside the frame."""
    canvas = Canvas(camera, background)
    w, h = camera.size
    depths = [camera.project(np.array([[a.x, a.y, 0.0]]))[1][0] for a in agents]
    extents = []
    for order, index in enumerate(np.argsort(depths)[::-1], start=1):
        agent = agents[index]
        if depths[index] < 2.0:
            extents.append(None)
            continue
        canvas.current = order
        _DRAW[agent.kind](canvas, agent)
        extents.append((order, index))
    labels = []
    for item in extents:
        if item is None:
            continue
        order, index = item
        pixels, _ = camera.project(agents[index].corners())
        x1, y1 = pixels.min(axis=0)
        x2, y2 = pixels.max(axis=0)
        full = max((x2 - x1) * (y2 - y1), 1.0)
        cx1, cy1, cx2, cy2 = max(x1, 0), max(y1, 0), min(x2, w), min(y2, h)
        if cx2 <= cx1 or cy2 <= cy1 or (cx2 - cx1) * (cy2 - cy1) < 0.5 * full:
            continue
        own = canvas.ids[int(cy1) : int(np.ceil(cy2)), int(cx1) : int(np.ceil(cx2))] == order
        drawn = _drawn_area(agents[index], camera)
        if own.sum() < 0.25 * drawn or own.sum() < 12:
            continue
        labels.append(Label(CLASS_NAMES.index(agents[index].kind), (cx1, cy1, cx2, cy2), index))
    return canvas.image, labels


def _drawn_area(agent: Agent, camera: Camera) -> float:
    """Pixels the agent covers when drawn alone (for the visible fraction)."""
    solo = Canvas(camera, np.zeros((camera.size[1], camera.size[0], 3), np.uint8))
    solo.current = 1
    _DRAW[agent.kind](solo, agent)
    return float((solo.ids == 1).sum())


def ground_texture(
    x: np.ndarray, y: np.ndarray, rng: np.random.Generator, road_y: float = 0.0, zebra_x: float | None = 6.0
) -> np.ndarray:
    """Colour (BGR float) of ground points: asphalt road, centre dashes, zebra, sidewalks, grass."""
    tone = rng.uniform(70, 110)
    grass = np.array(rng.choice([(60, 120, 70), (70, 110, 90), (80, 100, 100)]), float)
    d = np.abs(y - road_y)
    colour = np.empty(x.shape + (3,), float)
    colour[:] = grass
    walk = (d >= ROAD_HALF_WIDTH) & (d < ROAD_HALF_WIDTH + SIDEWALK_WIDTH)
    colour[walk] = (175, 180, 185)
    colour[walk & ((np.floor(x / 1.0) + np.floor(y / 1.0)) % 2 == 0)] = (160, 165, 170)
    road = d < ROAD_HALF_WIDTH
    colour[road] = (tone, tone, tone + 4)
    colour[road & (np.abs(d - 0.08) < 0.1) & ((x % 6.0) < 3.0)] = (230, 230, 230)
    colour[road & (np.abs(d - 2.5) < 0.06) & ((x % 4.0) < 1.5)] = (200, 200, 200)
    if zebra_x is not None:
        colour[road & (np.abs(x - zebra_x) < 1.5) & ((y % 1.0) < 0.5)] = (225, 225, 225)
    return colour


def background(camera: Camera, rng: np.random.Generator, **texture) -> np.ndarray:
    """The empty scene: ground texture under the horizon, sky above, a little noise."""
    w, h = camera.size
    u, v = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    pixels = np.column_stack([u.ravel(), v.ravel()])
    homogeneous = np.column_stack([pixels, np.ones(len(pixels))]) @ np.linalg.inv(camera.ground_homography).T
    wpart = homogeneous[:, 2]
    ground = homogeneous[:, :2] / np.where(np.abs(wpart) < 1e-12, 1e-12, wpart)[:, None]
    eye = np.asarray(camera.position[:2])
    distance = np.linalg.norm(ground - eye, axis=1)
    # A ground pixel lies in front of the camera: its ray goes down.
    rays = np.column_stack([pixels - np.array([w / 2, h / 2]), np.full(len(pixels), camera.focal)])
    down = (rays @ camera.rotation)[:, 2] < 0
    colour = ground_texture(ground[:, 0], ground[:, 1], rng, **texture)
    sky = np.array(rng.choice([(235, 206, 170), (225, 215, 200), (200, 200, 200)]), float)
    haze = np.clip((distance - 60) / 140, 0, 1)[:, None]
    colour = colour * (1 - haze) + sky * haze
    colour[~down | (distance > 300)] = sky
    image = colour.reshape(h, w, 3) + rng.normal(0, 4, (h, w, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def random_color(rng: np.random.Generator) -> tuple[int, int, int]:
    """A random BGR colour."""
    return tuple(int(c) for c in rng.integers(20, 235, 3))


def make_agent(kind: str, x: float, y: float, heading: float, rng: np.random.Generator) -> Agent:
    """An agent of `kind` with random colours."""
    extra = {"body": random_color(rng)}
    return Agent(kind, x, y, heading, random_color(rng), float(rng.uniform(0, 2 * np.pi)), extra)
