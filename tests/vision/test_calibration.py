"""A camera calibrated from reference points puts image foot points on the ground within centimetres."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from vision.calibration import Calibration, estimate_homography, foot_point
from vision.errors import CalibrationError

# A camera at 8 m looking down a street in Yên Bái: ground (lon, lat) → image through this homography.
TRUE = np.array([[3.1e6, -1.2e6, -3.0e8], [4.0e5, 9.0e5, -2.0e8], [1.2e3, 600.0, 1.0]])
GROUND = [
    (104.9100, 21.7100),
    (104.9106, 21.7100),
    (104.9106, 21.7105),
    (104.9100, 21.7105),
    (104.9103, 21.71025),
    (104.9101, 21.7104),
]


def project(lonlat: np.ndarray) -> np.ndarray:
    """Synthetic camera: a fixed homography from a local frame around the points to pixels."""
    local = (np.asarray(lonlat) - [104.9103, 21.71025]) * [103_000.0, 111_000.0]
    homogeneous = (
        np.column_stack([local, np.ones(len(local))])
        @ np.array([[12.0, 3.0, 640.0], [0.5, -9.0, 500.0], [0.0002, 0.004, 1.0]]).T
    )
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def distances_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    _, _, d = Geod(ellps="WGS84").inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    return np.abs(d)


def test_exact_reference_points_give_centimetre_accuracy_between_them():
    pixels = project(np.asarray(GROUND))
    calibration = Calibration.from_points(pixels.tolist(), GROUND)
    assert calibration.reprojection_error_m < 0.05
    probes = np.array([[104.9102, 21.7101], [104.9105, 21.7104], [104.9104, 21.7102]])
    assert distances_m(calibration.to_ground(project(probes)), probes).max() < 0.05


def test_noisy_clicks_are_reported_as_reprojection_error():
    rng = np.random.default_rng(7)
    pixels = project(np.asarray(GROUND)) + rng.normal(0, 3.0, (len(GROUND), 2))
    calibration = Calibration.from_points(pixels.tolist(), GROUND)
    assert 0.05 < calibration.reprojection_error_m < 2.0


def test_ground_to_pixels_inverts_pixels_to_ground():
    calibration = Calibration.from_points(project(np.asarray(GROUND)).tolist(), GROUND)
    pixels = np.array([[300.0, 400.0], [900.0, 650.0]])
    assert np.allclose(calibration.to_pixels(calibration.to_ground(pixels)), pixels, atol=1e-6)


def test_calibration_survives_json():
    calibration = Calibration.from_points(project(np.asarray(GROUND)).tolist(), GROUND)
    again = Calibration.from_json(calibration.as_json())
    assert np.allclose(again.to_ground([[500, 500]]), calibration.to_ground([[500, 500]]))


@pytest.mark.parametrize(
    ("pixels", "ground", "message"),
    [
        ([(0, 0), (1, 0), (0, 1)], GROUND[:3], "at least 4 are needed"),
        ([(0, 0), (1, 0), (0, 1), (1, 1)], GROUND[:3], "give pairs"),
        (
            [(0, 0), (1, 1), (2, 2), (3, 3)],
            [(104.91, 21.71), (104.911, 21.711), (104.912, 21.712), (104.913, 21.713)],
            "degenerate",
        ),
    ],
)
def test_unusable_reference_points_are_refused_with_the_reason(pixels, ground, message):
    with pytest.raises(CalibrationError, match=message):
        Calibration.from_points(pixels, ground)


def test_foot_point_is_the_bottom_centre_of_the_box():
    assert foot_point((100, 50, 140, 130)) == (120.0, 130)


def test_homography_of_a_known_matrix_is_recovered():
    source = np.array([[0, 0], [100, 0], [100, 100], [0, 100], [50, 20]], dtype=float)
    homogeneous = np.column_stack([source, np.ones(5)]) @ TRUE.T
    target = homogeneous[:, :2] / homogeneous[:, 2:3]
    estimated = estimate_homography(source, target)
    assert np.allclose(estimated, TRUE / TRUE[2, 2], rtol=1e-6)


def test_four_points_fit_exactly_so_they_cannot_be_checked():
    rng = np.random.default_rng(3)
    pixels = project(np.asarray(GROUND[:4])) + rng.normal(0, 3.0, (4, 2))
    calibration = Calibration.from_points(pixels.tolist(), GROUND[:4])
    assert calibration.reprojection_error_m < 1e-6
    assert calibration.check_error_m is None and calibration.worst_point is None
    assert "cannot be checked" in calibration.summary()


def test_leave_one_out_error_names_the_misplaced_point():
    pixels = project(np.asarray(GROUND))
    pixels[4] += [40.0, 0.0]  # the operator clicked 40 px beside the fifth mark
    calibration = Calibration.from_points(pixels.tolist(), GROUND)
    assert calibration.worst_point == 4
    assert calibration.check_error_m > calibration.reprojection_error_m
    assert "worst point #5" in calibration.summary()


def test_leave_one_out_errors_survive_json():
    calibration = Calibration.from_points(project(np.asarray(GROUND)).tolist(), GROUND)
    again = Calibration.from_json(calibration.as_json())
    assert again.point_errors_m == pytest.approx(calibration.point_errors_m)
