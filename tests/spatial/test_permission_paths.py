"""The permission matrix beyond collections: every role × every path that is not an OGC collection
(pinned events, data health, imports, search, camera frames, the indicator hub), probed through the
real URLs and compared with the table below. test_permission_matrix.py is the collections' half.

A probe never changes data: an acknowledgement names a feature that does not exist, so a viewer
allowed to acknowledge stops at 404 and one who is not stops at 401 or 403; a camera frame is asked of
a camera without frames (404 when allowed).
"""

from __future__ import annotations

import pytest
from test_permission_matrix import USERS, headers

pytestmark = pytest.mark.django_db

A = "allowed"  # 2xx, or 404 for a probe of something that does not exist
S = "sign in"  # 401 (with a WWW-Authenticate challenge) or, for a page, a redirect to the sign-in
F = "forbidden"  # 403
P = "past the permission check"  # 400: probed without its parameters, refused for them (never 5xx)

PATHS = {
    # the users in order: USERS (anonymous, quantri, diachinh.dongtam, quyhoach, vanhanh, xuly.namcuong,
    # lanhdao, gis)
    ("GET", "/api/alerts/pinned"):                             (S, A, A, A, A, A, A, A),
    ("POST", "/api/alerts/pinned/incidents/0/acknowledge"):    (S, A, F, F, A, F, F, F),
    ("GET", "/api/data-health"):                               (S, A, A, A, A, A, A, A),
    ("GET", "/suc-khoe-du-lieu/"):                             (S, A, A, A, A, A, A, A),
    ("GET", "/api/imports/"):                                  (S, A, A, A, F, F, F, F),
    ("GET", "/api/search?q=Ha"):                               (A, A, A, A, A, A, A, A),
    ("GET", "/media/vision/cameras/999999/latest.jpg"):        (S, A, F, F, A, F, A, F),
    ("GET", "/api/hub/indicators"):                            (S, A, A, A, A, A, A, A),
    ("GET", "/api/hub/units?on=2025-12-31"):                   (S, A, A, A, A, A, A, A),
    ("GET", "/api/hub/values?indicator=new_businesses&unit=T15&period=year&from=2024"):
                                                               (S, A, A, A, A, A, A, A),
    ("GET", "/api/hub/completeness"):                          (S, P, P, P, P, P, P, P),
    ("GET", "/api/hub/choropleth"):                            (S, P, P, P, P, P, P, P),
    ("GET", "/chi-tieu/ty-le-bao-cao/"):                       (S, P, P, P, P, P, P, P),
    ("GET", "/api/hub/reports/SNV/2026-10/xlsx"):              (S, A, F, F, F, F, A, F),
    ("GET", "/api/briefings/weekly"):                          (S, P, F, F, P, F, P, F),
}


def outcome(response) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and "dang-nhap" in response.get("Location", "")):
        return S
    if status == 403:
        return F
    if status == 400:
        return P
    if status < 300 or status == 404:
        return A
    return f"HTTP {status}"


@pytest.mark.parametrize(("method", "path"), list(PATHS))
def test_who_may_use_each_path_is_the_table(client, method, path):
    probe = client.get if method == "GET" else client.post
    observed = tuple(outcome(probe(path, **headers(user))) for user in USERS)
    expected = PATHS[(method, path)]
    assert dict(zip(USERS, observed, strict=True)) == dict(zip(USERS, expected, strict=True))


@pytest.mark.parametrize(("path", "language", "expected"), [
    ("/tiles/detections/14/0/0.pbf", "vi", "lớp «Phát hiện từ camera AI» bị hạn chế: hãy đăng nhập"),
    ("/tiles/detections/14/0/0.pbf", "en", "layer 'Camera AI detections' (detections) is restricted"),
    ("/ogc/collections/detections/items", "vi", "lớp «Phát hiện từ camera AI» bị hạn chế"),
    ("/api/hub/indicators", "vi", "cần đăng nhập để xem số liệu chỉ tiêu"),
    ("/api/hub/indicators", "en", "sign in to read the indicator hub"),
])
def test_a_refusal_says_what_to_do_in_the_requests_language(client, path, language, expected):
    response = client.get(path, {"lang": language} if language == "en" else {})
    assert response.status_code == 401
    assert response.json()["description"].startswith(expected)


def test_a_forbidden_layer_is_named_by_its_title(client):
    response = client.get("/tiles/detections/14/0/0.pbf", **headers("diachinh.dongtam"))
    assert response.status_code == 403
    assert response.json()["description"] == "vai trò của bạn không được xem lớp «Phát hiện từ camera AI»"
