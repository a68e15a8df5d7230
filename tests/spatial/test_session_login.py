"""The map's browser sign-in: good credentials open a session; bad input gets a clear 4xx."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/api/session/login"


@pytest.fixture
def browser() -> Client:
    """A browser-like client that must send the CSRF token it got from GET /api/session."""
    client = Client(enforce_csrf_checks=True)
    client.token = client.get("/api/session").json()["csrfToken"]
    return client


def post(client: Client, body: object, **headers) -> object:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(LOGIN, data, content_type="application/json", HTTP_X_CSRFTOKEN=client.token, **headers)


def test_good_credentials_sign_the_session_in_and_logout_ends_it(browser):
    response = post(browser, {"username": "diachinh.dongtam", "password": "toancanh-demo"})
    assert response.status_code == 200 and response.json()["username"] == "diachinh.dongtam"
    assert browser.get("/api/session").json()["roles"] != []
    token = browser.get("/api/session").json()["csrfToken"]
    out = browser.post("/api/session/logout", HTTP_X_CSRFTOKEN=token)
    assert out.status_code == 200 and out.json()["username"] is None


def test_a_wrong_password_is_400_without_a_password_dialog(browser):
    response = post(browser, {"username": "diachinh.dongtam", "password": "wrong"})
    assert response.status_code == 400 and response.json()["code"] == "LoginFailed"
    assert "WWW-Authenticate" not in response
    assert browser.get("/api/session").json()["username"] is None


@pytest.mark.parametrize("body", ["not json", {"username": "vanhanh"}, ["vanhanh", "toancanh-demo"]])
def test_malformed_bodies_are_400_with_what_to_send(browser, body):
    response = post(browser, body)
    assert response.status_code == 400 and "username" in response.json()["description"]


def test_a_login_without_the_csrf_token_is_refused(browser):
    response = browser.post(LOGIN, json.dumps({"username": "vanhanh", "password": "toancanh-demo"}),
                            content_type="application/json")
    assert response.status_code == 403
    assert browser.get(LOGIN).status_code == 405


def test_repeated_wrong_passwords_get_429_with_retry_after_even_for_the_right_one(browser, settings):
    settings.AXES_FAILURE_LIMIT = 3
    wrong = [post(browser, {"username": "diachinh.dongtam", "password": f"wrong-{n}"}) for n in range(3)]
    assert [response.status_code for response in wrong] == [400, 400, 429]
    locked = post(browser, {"username": "diachinh.dongtam", "password": "toancanh-demo"})
    assert locked.status_code == 429 and locked.json()["code"] == "TooManySignIns"
    assert locked["Retry-After"] == "900" and "WWW-Authenticate" not in locked
    assert browser.get("/api/session").json()["username"] is None
