"""Security basics: deploy checks, headers, CSRF for browser sessions (throttling: tests/spatial)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.test import Client

from layers.models import AdminUnit, Parcel

pytestmark = pytest.mark.django_db


def test_production_settings_pass_django_deploy_checks():
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "IOC_PRODUCTION": "true",
        "IOC_DEBUG": "false",
        "IOC_SECRET_KEY": secrets.token_urlsafe(60),
        "IOC_ALLOWED_HOSTS": "ioc.example.gov.vn",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ioc.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_responses_carry_security_headers(client):
    response = client.get("/ogc", {"f": "html"})
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_browser_session_writes_need_the_csrf_token():
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune", valid_to__isnull=False)
    parcel = Parcel.objects.filter(ward=ward).order_by("pk")[30]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username="diachinh.dongtam"))
    url = f"/ogc/collections/parcels/items/{parcel.pk}"
    body = json.dumps({"properties": {"address": "Số 2"}})
    refused = browser.patch(
        url, body, content_type="application/geo+json", HTTP_IF_MATCH=f'"{parcel.version}"'
    )
    assert refused.status_code == 403 and "CSRF" in refused.json()["description"]
    token = browser.get("/api/session").json()["csrfToken"]
    allowed = browser.patch(
        url,
        body,
        content_type="application/geo+json",
        HTTP_IF_MATCH=f'"{parcel.version}"',
        HTTP_X_CSRFTOKEN=token,
    )
    assert allowed.status_code == 200, allowed.content
