"""The tile lane answers anonymous tiles exactly as the full stack would, and nothing else."""

from __future__ import annotations

import base64
from urllib.parse import quote

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import Group
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from tiles import lane

django_application = WSGIHandler()  # as ioc.wsgi builds it, without its listener thread
platform = lane.with_tile_lane(django_application)

pytestmark = pytest.mark.django_db

LANGUAGE_HEADERS = {"Content-Language"}  # a tile has no language; only pages negotiate one


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Serve in-process without closing the test's connection around each request (as Django's
    test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call(app, path: str, method: str = "GET", **headers: str) -> tuple[str, dict[str, str], bytes]:
    """(status, headers, body) of one request (GET unless told) through a WSGI application."""
    environ = RequestFactory().generic(method, path, headers=headers).environ
    environ["PATH_INFO"] = environ["PATH_INFO"].encode().decode("iso-8859-1")  # WSGI's bytes-as-Latin-1
    answer = {}

    def start_response(status, header_list, exc_info=None):
        answer["status"], answer["headers"] = status, dict(header_list)

    response = app(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):  # the lane answers with a list, Django with a response
            response.close()
    return answer["status"], answer["headers"], body


def without_language(headers: dict[str, str]) -> dict[str, str]:
    kept = {name: value for name, value in headers.items() if name not in LANGUAGE_HEADERS}
    if "Vary" in kept:
        kept["Vary"] = ", ".join(v for v in kept["Vary"].split(", ") if v != "Accept-Language")
    return kept


def test_an_anonymous_tile_from_the_lane_equals_the_full_stack_answer(centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    full = call(django_application, path)
    fast = call(platform, path)
    assert fast[0] == full[0] == "200 OK"
    assert fast[2] == full[2]
    assert centre_parcel.pk in {f["id"] for f in mapbox_vector_tile.decode(fast[2])["parcels"]["features"]}
    assert without_language(fast[1]) == without_language(full[1]) | {"X-Tile-Cache": "hit"}
    assert "Content-Language" not in fast[1]  # told apart: the lane skipped the locale middleware
    assert fast[1]["Content-Security-Policy"] and fast[1]["X-Frame-Options"] == "DENY"


def test_the_lane_caches_a_rendered_tile_once_its_answer_is_sent(centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 17)}.pbf"
    environ = RequestFactory().get(path).environ
    answer = platform(environ, lambda status, headers: None)
    body = b"".join(answer)
    assert call(platform, path)[1]["X-Tile-Cache"] == "miss"  # not yet: the first answer is still going
    answer.close()  # the server has sent it
    status, headers, again = call(platform, path)
    assert (status, headers["X-Tile-Cache"], again) == ("200 OK", "hit", body)


def test_the_lane_answers_a_current_etag_with_304(centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 15)}.pbf"
    _, headers, _ = call(platform, path)
    status, again, body = call(platform, path, **{"If-None-Match": headers["ETag"]})
    assert (status, body, again["ETag"]) == ("304 Not Modified", b"", headers["ETag"])


def test_a_304_names_no_content_type_on_either_path(centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 14)}.pbf"
    etag = call(platform, path)[1]["ETag"]
    for app in (platform, django_application):
        status, headers, _ = call(app, path, **{"If-None-Match": etag})
        assert status == "304 Not Modified" and "Content-Type" not in headers


def test_a_secure_tile_request_gets_the_full_stacks_headers_hsts_included(settings, centre_parcel, tile_at):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    full_stack = WSGIHandler()  # Django's middleware read their settings when built
    fast_lane = lane.with_tile_lane(full_stack)
    call(fast_lane, path)  # the plain answer first: what is learnt for http must not leak into https
    fast = call(fast_lane, path, **{"X-Forwarded-Proto": "https"})
    full = call(full_stack, path, **{"X-Forwarded-Proto": "https"})
    assert fast[1]["Strict-Transport-Security"] == "max-age=3600"
    assert without_language(fast[1]) == without_language(full[1])
    assert "Strict-Transport-Security" not in call(fast_lane, path)[1]
    assert "Strict-Transport-Security" not in call(fast_lane, path, **{"X-Forwarded-Proto": "http"})[1]


def test_with_https_required_the_lane_redirects_plain_requests_as_the_full_stack_does(settings, tile_at,
                                                                                      city_extent):
    settings.SECURE_SSL_REDIRECT = True
    full_stack = WSGIHandler()
    path = f"/tiles/parcels/{tile_at(city_extent[0], city_extent[1], 14)}.pbf"
    fast, full = call(lane.with_tile_lane(full_stack), path), call(full_stack, path)
    assert fast[0] == full[0] == "301 Moved Permanently"
    assert fast[1]["Location"] == full[1]["Location"] == f"https://testserver{path}"


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/tiles/parcels/23/0/0.pbf", "400 Bad Request", "zoom 23 is out of range"),
        ("/tiles/parcels/3/8/0.pbf", "400 Bad Request", "outside the grid"),
        ("/tiles/nothing/14/0/0.pbf", "404 Not Found", "nothing"),
        ("/tiles/parcels/14/13017/7201.pbf?datetime=2025-13-01", "400 Bad Request", "datetime"),
        ("/tiles/detections/14/13017/7201.pbf", "401 Unauthorized", "NotAuthenticated"),
    ],
)
def test_bad_tile_requests_get_the_platform_errors_on_the_lane_too(path, status, says):
    fast = call(platform, path)
    full = call(django_application, path)
    assert fast[0] == full[0] == status
    assert fast[2] == full[2] and says in fast[2].decode()


def test_requests_with_credentials_take_the_full_stack(django_user_model, city_extent, tile_at):
    operator = django_user_model.objects.create_user("operator-lane", password="lane-pass-1")
    operator.groups.add(Group.objects.get(name="operator"))
    lon, lat = (city_extent[0] + city_extent[2]) / 2, (city_extent[1] + city_extent[3]) / 2
    path = f"/tiles/detections/{tile_at(lon, lat, 14)}.pbf"
    basic = "Basic " + base64.b64encode(b"operator-lane:lane-pass-1").decode()
    status, headers, _ = call(platform, path, Authorization=basic)
    assert status == "200 OK" and headers["Cache-Control"].startswith("private")
    assert "Content-Language" in headers  # the full stack's locale middleware answered
    session_only = call(platform, path, Cookie="sessionid=not-a-session")
    assert session_only[0] == "401 Unauthorized" and "Content-Language" in session_only[1]


def test_only_gets_of_tile_paths_are_lane_requests():
    assert lane.PATH.fullmatch("/tiles/parcels,roads/14/1/2.pbf")
    for path in ("/tiles/parcels.json", "/tiles/", "/tiles/parcels/14/1/2.mvt", "/ogc/collections"):
        assert lane.PATH.fullmatch(path) is None


BASIC_OPERATOR = "Basic " + base64.b64encode(b"operator-head:head-pass-1").decode()


@pytest.fixture
def operator_head(django_user_model):
    operator = django_user_model.objects.create_user("operator-head", password="head-pass-1")
    operator.groups.add(Group.objects.get(name="operator"))
    return operator


@pytest.mark.parametrize(("app", "credentials"), [
    (platform, {}),  # the lane
    (django_application, {}),  # the full stack, anonymous
    (platform, {"Authorization": BASIC_OPERATOR}),  # the full stack through the lane, signed in
], ids=["lane", "full-stack", "signed-in"])
def test_head_on_a_tile_answers_the_get_status_and_headers_without_a_body(operator_head, centre_parcel,
                                                                          tile_at, app, credentials):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    call(app, path, **credentials)  # rendered and cached: GET and HEAD below are both cache hits
    head = call(app, path, "HEAD", **credentials)
    get = call(app, path, **credentials)
    assert head[0] == get[0] == "200 OK"
    assert head[1] == get[1] and head[1]["Content-Length"] == str(len(get[2])) != "0"
    assert head[2] == b""


def test_a_head_on_the_lane_renders_and_caches_the_tile_as_a_get_does(centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    status, headers, body = call(platform, path, "HEAD")
    assert (status, headers["X-Tile-Cache"], body) == ("200 OK", "miss", b"")
    get = call(platform, path)
    assert get[1]["X-Tile-Cache"] == "hit" and get[1]["ETag"] == headers["ETag"]
    assert headers["Content-Length"] == str(len(get[2]))


@pytest.mark.parametrize("app", [platform, django_application], ids=["lane", "full-stack"])
def test_head_with_a_current_etag_gets_304_without_a_body(centre_parcel, tile_at, app):
    point = centre_parcel.geom.point_on_surface
    path = f"/tiles/parcels/{tile_at(point.x, point.y, 15)}.pbf"
    etag = call(app, path, "HEAD")[1]["ETag"]
    status, headers, body = call(app, path, "HEAD", **{"If-None-Match": etag})
    assert (status, headers["ETag"], body) == ("304 Not Modified", etag, b"")
    assert "Content-Type" not in headers


def test_head_on_a_bad_tile_gets_the_get_error_status_on_both_paths():
    for app in (platform, django_application):
        assert call(app, "/tiles/parcels/23/0/0.pbf", "HEAD")[0] == "400 Bad Request"
    assert call(platform, "/tiles/parcels/23/0/0.pbf", "HEAD")[2] == b""


@pytest.mark.parametrize("path", ["/tiles/", "/tiles/parcels.json"])
def test_head_on_the_catalog_and_tilejson_sends_no_body_whatever_the_server(path):
    head, get = call(django_application, path, "HEAD"), call(django_application, path)
    assert head[0] == get[0] == "200 OK"
    assert head[1] == get[1] and head[2] == b""


@pytest.mark.parametrize("digits", ["١٤/0/0", "3/٠/0", "3/0/²0", "３/0/0"])
def test_non_ascii_digits_in_a_tile_path_name_no_tile_on_either_path(digits):
    assert lane.PATH.fullmatch(f"/tiles/parcels/{digits}.pbf") is None
    path = f"/tiles/parcels/{quote(digits)}.pbf"
    assert call(platform, path)[0] == call(django_application, path)[0] == "404 Not Found"
