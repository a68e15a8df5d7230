"""Camera calibration: image pixels ↔ ground (EPSG:4326) through a homography on a local plane.

Four or more reference points (pixel, lon/lat) give a plane-to-plane homography, estimated with the
normalised DLT on a local azimuthal-equidistant frame in metres around the points. A detection's foot
point (bottom centre of its box) then maps to a ground point.

With exactly four points the homography passes through all of them, so its residual is always 0 and
says nothing. From five points on, each point is checked against a fit of the others (leave-one-out):
that error, and the worst point, tell an operator which reference point to re-measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import Transformer

from vision.errors import CalibrationError

MIN_POINTS = 4
MIN_CHECKED_POINTS = 5


def _normaliser(points: np.ndarray) -> np.ndarray:
    """Hartley normalisation: centre on the mean, scale the mean distance to √2."""
    centre = points.mean(axis=0)
    scale = np.sqrt(2) / max(np.linalg.norm(points - centre, axis=1).mean(), 1e-12)
    return np.array([[scale, 0, -scale * centre[0]], [0, scale, -scale * centre[1]], [0, 0, 1]])


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    homogeneous = np.column_stack([points, np.ones(len(points))]) @ matrix.T
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def estimate_homography(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 3×3 matrix H with target ≈ H·source (normalised DLT, least squares over all points)."""
    t_source, t_target = _normaliser(source), _normaliser(target)
    s, d = _apply(t_source, source), _apply(t_target, target)
    rows = []
    for (x, y), (u, v) in zip(s, d, strict=True):
        rows.append([-x, -y, -1, 0, 0, 0, u * x, u * y, u])
        rows.append([0, 0, 0, -x, -y, -1, v * x, v * y, v])
    _, singular, vt = np.linalg.svd(np.asarray(rows))
    if singular[-2] < 1e-9 * singular[0]:
        raise CalibrationError(
            "the reference points are degenerate (three or more on one line?); "
            "spread them over the ground plane"
        )
    normalised = vt[-1].reshape(3, 3)
    matrix = np.linalg.inv(t_target) @ normalised @ t_source
    return matrix / matrix[2, 2]


@dataclass(frozen=True)
class Calibration:
    """A camera's mapping from image pixels to ground lon/lat."""

    matrix: np.ndarray  # pixels → local metres
    origin: tuple[float, float]  # lon, lat of the local frame's centre
    reprojection_error_m: float  # RMS residual at the reference points (0 with exactly 4)
    point_errors_m: tuple[float, ...] = ()  # leave-one-out error of each point (≥ 5 points), metres
    suspect: int | None = None  # the point without which the others agree best (≥ 5 points)

    @property
    def check_error_m(self) -> float | None:
        """RMS of the leave-one-out errors; None when there are too few points to check."""
        if not self.point_errors_m:
            return None
        return float(np.sqrt(np.mean(np.square(self.point_errors_m))))

    @property
    def worst_point(self) -> int | None:
        """Index of the reference point to re-measure first (None with 4 points)."""
        return self.suspect

    def summary(self) -> str:
        """A sentence for the operator who entered the points."""
        if self.check_error_m is None:
            return (
                f"4 points fit exactly (residual {self.reprojection_error_m:.2f} m) and cannot be checked; "
                "add a fifth point to measure the error"
            )
        return (
            f"leave-one-out error {self.check_error_m:.2f} m RMS; worst point #{self.worst_point + 1} "
            f"({max(self.point_errors_m):.2f} m); residual {self.reprojection_error_m:.2f} m"
        )

    @classmethod
    def from_points(cls, pixels: list[tuple[float, float]], ground: list[tuple[float, float]]) -> Calibration:
        """Estimate from pairs of (u, v) pixels and (lon, lat) ground points; ≥ 4 pairs."""
        if len(pixels) != len(ground):
            raise CalibrationError(f"{len(pixels)} pixel points but {len(ground)} ground points: give pairs")
        if len(pixels) < MIN_POINTS:
            raise CalibrationError(f"{len(pixels)} reference points: at least {MIN_POINTS} are needed")
        lonlat = np.asarray(ground, dtype=float)
        origin = (float(lonlat[:, 0].mean()), float(lonlat[:, 1].mean()))
        metres = _to_local(origin).transform(lonlat[:, 0], lonlat[:, 1])
        local = np.column_stack(metres)
        image = np.asarray(pixels, dtype=float)
        matrix = estimate_homography(image, local)
        residuals = np.linalg.norm(_apply(matrix, image) - local, axis=1)
        errors, suspect = _leave_one_out(image, local)
        return cls(matrix, origin, float(np.sqrt(np.mean(residuals**2))), errors, suspect)

    def to_ground(self, pixels: np.ndarray) -> np.ndarray:
        """(n, 2) pixels → (n, 2) lon/lat."""
        local = _apply(self.matrix, np.atleast_2d(np.asarray(pixels, dtype=float)))
        lon, lat = _to_local(self.origin).transform(local[:, 0], local[:, 1], direction="INVERSE")
        return np.column_stack([lon, lat])

    def to_pixels(self, lonlat: np.ndarray) -> np.ndarray:
        """(n, 2) lon/lat → (n, 2) pixels (for drawing zones on the image)."""
        points = np.atleast_2d(np.asarray(lonlat, dtype=float))
        local = np.column_stack(_to_local(self.origin).transform(points[:, 0], points[:, 1]))
        return _apply(np.linalg.inv(self.matrix), local)

    def as_json(self) -> dict:
        """What is stored with the camera."""
        return {
            "matrix": self.matrix.tolist(),
            "origin": list(self.origin),
            "reprojection_error_m": self.reprojection_error_m,
            "point_errors_m": list(self.point_errors_m),
            "worst_point": self.suspect,
        }

    @classmethod
    def from_json(cls, data: dict) -> Calibration:
        """The calibration stored by as_json."""
        return cls(
            np.asarray(data["matrix"], dtype=float),
            tuple(data["origin"]),
            float(data["reprojection_error_m"]),
            tuple(data.get("point_errors_m", ())),
            data.get("worst_point"),
        )


def _leave_one_out(image: np.ndarray, local: np.ndarray) -> tuple[tuple[float, ...], int | None]:
    """Error (m) of each point predicted by a fit of all the others, and the suspect point.

    The suspect is the point without which the others fit best (with 6+ points an outlier stands out
    that way; a corner point's own prediction error is large anyway, by leverage); with 5 points the
    others fit exactly, so the suspect is the one predicted worst. ((), None) below 5 points.
    """
    if len(image) < MIN_CHECKED_POINTS:
        return (), None
    errors, others_fit = [], []
    for i in range(len(image)):
        others = np.arange(len(image)) != i
        try:
            matrix = estimate_homography(image[others], local[others])
        except CalibrationError:  # without this point the others are degenerate: it carries the fit
            errors.append(float("inf"))
            others_fit.append(float("inf"))
            continue
        errors.append(float(np.linalg.norm(_apply(matrix, image[i : i + 1])[0] - local[i])))
        residual = np.linalg.norm(_apply(matrix, image[others]) - local[others], axis=1)
        others_fit.append(float(np.sqrt(np.mean(residual**2))))
    suspect = np.argmax(errors) if len(image) == MIN_CHECKED_POINTS else np.argmin(others_fit)
    return tuple(errors), int(suspect)


def foot_point(box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Where an object touches the ground in the image: the bottom centre of its box (x1, y1, x2, y2)."""
    x1, _y1, x2, y2 = box
    return ((x1 + x2) / 2.0, y2)


@lru_cache(maxsize=64)
def _to_local(origin: tuple[float, float]) -> Transformer:
    lon, lat = origin
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", always_xy=True
    )
