"""Calibrations are entered in the admin and checked there: bad points are refused with a reason, good ones
show their reprojection and leave-one-out errors."""

from __future__ import annotations

import pytest

from vision.admin import CalibrationForm
from vision.demo import geo_frame
from vision.synthetic.video import reference_points

pytestmark = pytest.mark.django_db


def _points(camera, count: int, noise_px: float = 1.0) -> list[dict]:
    pixels, lonlat = reference_points(geo_frame(camera), noise_px)
    return [
        {"u": u, "v": v, "lon": lon, "lat": lat} for (u, v), (lon, lat) in zip(pixels, lonlat, strict=True)
    ][:count]


@pytest.fixture
def camera():
    from layers.models import Camera

    return Camera.objects.get(code="CAM-002")


def test_six_points_are_saved_with_their_errors_shown(camera, admin_client):
    form = CalibrationForm(data={"camera": camera.pk, "reference_points": _points(camera, 6)})
    assert form.is_valid(), form.errors
    saved = form.save()
    assert 0 < saved.reprojection_error_m < 0.5 and 0 < saved.check_error_m < 1.0
    assert saved.worst_point is not None and saved.calibration is not None
    page = admin_client.get(f"/admin/vision/cameracalibration/{saved.pk}/change/")
    assert page.status_code == 200 and "leave-one-out error" in page.content.decode()


def test_four_points_are_accepted_but_reported_as_unchecked(camera):
    form = CalibrationForm(data={"camera": camera.pk, "reference_points": _points(camera, 4)})
    assert form.is_valid(), form.errors
    assert form.save(commit=False).check_error_m is None


@pytest.mark.parametrize(
    "points, message",
    [
        ([{"u": 1, "v": 2, "lon": 105.0}], "exactly the keys u, v, lon, lat"),
        ([{"u": 1, "v": 2, "lon": 105.0, "lat": "north"}], "must be numbers"),
        ([{"u": 1, "v": 2, "lon": 21.0, "lat": 105.0}], "lon/lat out of range"),
        ([{"u": i, "v": i, "lon": 105.0 + i * 1e-4, "lat": 21.0 + i * 1e-4} for i in range(3)], "at least 4"),
        (
            [{"u": i, "v": 2 * i, "lon": 105.0 + i * 1e-4, "lat": 21.0 + i * 1e-4} for i in range(5)],
            "degenerate",
        ),
    ],
)
def test_unusable_points_are_refused_with_the_reason(camera, points, message):
    form = CalibrationForm(data={"camera": camera.pk, "reference_points": points})
    assert not form.is_valid()
    assert message in str(form.errors["reference_points"])
