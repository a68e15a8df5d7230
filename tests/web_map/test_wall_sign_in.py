"""The wall's own sign-in form in real headless Chromium: a person signs in with it and the wall reloads as
theirs; signing out brings the form back. (The other browser tests get their session from the same API the
form posts to, without the form: wall.sign_in.)"""

from __future__ import annotations

import pytest
from wall import TIMEOUT, sign_in_through_the_form

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_the_walls_form_and_signs_out_again(server_url, watched):
    page = watched.page
    sign_in_through_the_form(page, server_url, "vanhanh")  # the wall reloads showing the username
    assert page.query_selector("#sign-in") is None
    with page.expect_navigation():
        page.click("#sign-out")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    assert page.query_selector("#user") is None and page.query_selector("#sign-in") is not None
    assert page.request.get(f"{server_url}/api/session").json()["username"] is None
    assert watched.errors == [] and watched.outside == []
