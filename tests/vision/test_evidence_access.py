"""Evidence frames are served only to those who may see camera detections."""

from __future__ import annotations

import base64

import pytest

from vision.evidence import SUBDIR

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"


def basic(username: str) -> dict:
    token = base64.b64encode(f"{username}:toancanh-demo".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def frame(settings, tmp_path) -> str:
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / SUBDIR / "cam-7"
    folder.mkdir(parents=True)
    (folder / "incident-1.jpg").write_bytes(JPEG)
    (tmp_path / "secret.jpg").write_bytes(JPEG)
    return "/media/vision/evidence/cam-7/incident-1.jpg"


def test_an_operator_gets_the_evidence_jpeg(client, frame):
    response = client.get(frame, **basic("vanhanh"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG


def test_anonymous_viewers_must_sign_in_and_other_roles_are_refused(client, frame):
    assert client.get(frame).status_code == 401
    assert client.get(frame, **basic("diachinh.dongtam")).status_code == 403


@pytest.mark.parametrize("name", ["../../secret.jpg", "cam-7/missing.jpg", "cam-7"])
def test_nothing_outside_the_evidence_folder_or_missing_is_served(client, frame, name):
    assert client.get(f"/media/vision/evidence/{name}", **basic("vanhanh")).status_code == 404
