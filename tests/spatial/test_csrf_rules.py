"""Which writes need a CSRF token: credentials a browser resends by itself never stand in for one.

The rule: a Bearer/Token credential skips the CSRF check; HTTP Basic skips it only on a request that
carries none of the headers browsers add by themselves (Origin, Sec-Fetch-Site, Cookie). /admin/
never signs anyone in from an Authorization header. An anonymous write is 401 with a challenge.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from layers.history import feature_history
from layers.models import AdminUnit, Parcel
from layers.registry import registry
from spatial.auth import issue_token

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/parcels/items"
MERGE = "/ogc/collections/parcels/merge"
ATTACKER = "https://attacker.example"
# what a browser adds to a form POST that a page on another site submits (scripts cannot remove them)
CROSS_SITE_MARKS = {
    "origin only (browsers before Fetch Metadata)": {"HTTP_ORIGIN": ATTACKER},
    "fetch metadata only": {"HTTP_SEC_FETCH_SITE": "cross-site"},
    "both": {"HTTP_ORIGIN": ATTACKER, "HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_MODE": "navigate"},
    "a cookie of the site (old browsers, no Origin)": {"HTTP_COOKIE": "sessionid=whatever"},
}


def basic(username: str) -> dict:
    token = base64.b64encode(f"{username}:toancanh-demo".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def browser() -> Client:
    """A client that, like a real browser, is not exempt from Django's CSRF check."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def neighbours() -> tuple[Parcel, Parcel]:
    """Two touching parcels of Đồng Tâm, the ward of the land official diachinh.dongtam."""
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    first = Parcel.objects.filter(ward=ward).order_by("pk")[40]
    second = Parcel.objects.filter(ward=ward, geom__touches=first.geom).exclude(pk=first.pk).order_by("pk")[0]
    return first, second


def merge_body(*parcels: Parcel) -> str:
    return json.dumps({"items": [{"id": p.pk, "version": p.version} for p in parcels]})


@pytest.mark.parametrize("marks", CROSS_SITE_MARKS.values(), ids=CROSS_SITE_MARKS.keys())
def test_a_cross_site_form_post_with_resent_basic_credentials_cannot_merge(browser, neighbours, marks):
    response = browser.post(MERGE, merge_body(*neighbours), content_type="text/plain",
                            **basic("diachinh.dongtam"), **marks)
    assert response.status_code == 403, response.content
    assert "CSRF" in response.json()["description"]
    assert Parcel.objects.filter(pk__in=[p.pk for p in neighbours]).count() == 2


def test_a_cross_site_form_post_with_an_administrators_basic_credentials_does_not_reach_the_admin(browser):
    form = {"username": "planted", "password1": "Xy7-planted-pass", "password2": "Xy7-planted-pass",
            "usable_password": "true"}
    response = browser.post("/admin/auth/user/add/", form, **basic("quantri"),
                            **CROSS_SITE_MARKS["both"])
    assert response.status_code in (302, 403)
    assert not User.objects.filter(username="planted").exists()


@pytest.mark.parametrize("header", ["basic", "bearer"])
def test_the_admin_never_signs_in_from_an_authorization_header(browser, header):
    admin = User.objects.get(username="quantri")
    credentials = basic("quantri") if header == "basic" else {
        "HTTP_AUTHORIZATION": f"Bearer {issue_token(admin, 'test')}"}
    response = browser.get("/admin/", **credentials)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_admin_still_works_with_its_session_login(browser):
    browser.force_login(User.objects.get(username="quantri"))
    assert browser.get("/admin/").status_code == 200


def test_basic_credentials_from_a_gis_client_write_without_a_csrf_token(browser, neighbours):
    """QGIS, GDAL, OWSLib and curl send no Origin, no Sec-Fetch-* and (here) no cookie."""
    parcel = neighbours[0]
    response = browser.patch(f"{ITEMS}/{parcel.pk}", json.dumps({"properties": {"address": "Số 9"}}),
                             content_type="application/geo+json", HTTP_IF_MATCH=f'"{parcel.version}"',
                             **basic("diachinh.dongtam"))
    assert response.status_code == 200, response.content


def test_a_bearer_token_writes_without_a_csrf_token_even_from_a_browser(browser, neighbours):
    token = issue_token(User.objects.get(username="diachinh.dongtam"), "script")
    response = browser.post(MERGE, merge_body(*neighbours), content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token}", **CROSS_SITE_MARKS["both"])
    assert response.status_code == 201, response.content


def test_a_same_site_page_with_basic_credentials_writes_with_the_csrf_token(browser, neighbours):
    """Basic in a browser is not refused: it is held to the CSRF check, which the map's page passes."""
    token = browser.get("/api/session").json()["csrfToken"]
    parcel = neighbours[0]
    same_site = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    url, body = f"{ITEMS}/{parcel.pk}", json.dumps({"properties": {"address": "Số 9"}})
    edit = {"content_type": "application/geo+json", "HTTP_IF_MATCH": f'"{parcel.version}"',
            **basic("diachinh.dongtam"), **same_site}
    refused = browser.patch(url, body, **edit)
    assert refused.status_code == 403 and "CSRF" in refused.json()["description"]
    allowed = browser.patch(url, body, HTTP_X_CSRFTOKEN=token, **edit)
    assert allowed.status_code == 200, allowed.content


def anonymous_write(browser: Client, path: str, parcel: Parcel, other: Parcel):
    """One anonymous write by `path`, sent as the map would (JSON, If-Match), without credentials."""
    url, version = f"{ITEMS}/{parcel.pk}", f'"{parcel.version}"'
    feature = json.dumps({"type": "Feature", "geometry": json.loads(parcel.geom.geojson), "properties": {}})
    if path == "create":
        return browser.post(ITEMS, feature, content_type="application/geo+json")
    if path in ("put", "patch"):
        return getattr(browser, path)(url, feature, content_type="application/geo+json",
                                      HTTP_IF_MATCH=version)
    if path == "delete":
        return browser.delete(url, HTTP_IF_MATCH=version)
    if path == "split":
        return browser.post(f"{url}/split", json.dumps({"line": None}), content_type="application/json",
                            HTTP_IF_MATCH=version)
    if path == "restore":
        entry = feature_history(registry.get("parcels"), parcel.pk).first()
        return browser.post(f"{url}/history/{entry.pk}/restore", HTTP_IF_MATCH=version)
    return browser.post(MERGE, merge_body(parcel, other), content_type="application/json")


@pytest.mark.parametrize("path", ["create", "put", "patch", "delete", "split", "restore", "merge"])
def test_an_anonymous_write_gets_401_with_a_challenge_not_a_csrf_refusal(browser, neighbours, path):
    response = anonymous_write(browser, path, *neighbours)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Basic ")
    assert response.json()["code"] == "NotAuthenticated"


def test_a_cql2_query_by_post_is_a_read_that_needs_neither_sign_in_nor_csrf_token(browser):
    query = {"op": "=", "args": [{"property": "school_level"}, "thpt"]}
    response = browser.post("/ogc/collections/schools/items", json.dumps(query),
                            content_type="application/query-cql-json")
    assert response.status_code == 200, response.content
    assert {f["properties"]["school_level"] for f in response.json()["features"]} == {"thpt"}
