"""Sign-in throttling: per username at a client address and per address, in the database shared by
every worker, refused before any password hashing, never extended by refused tries."""

from __future__ import annotations

import base64
import dataclasses
import ipaddress

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import get_hasher
from django.core.cache import cache

pytestmark = pytest.mark.django_db
ATTACKER, COLLEAGUE = "203.0.113.7", "198.51.100.20"
USER, PASSWORD = "diachinh.dongtam", "toancanh-demo"


@pytest.fixture(autouse=True)
def limits(settings) -> None:
    """Small limits: 3 failures of a name at an address, 6 of an address."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGNIN_FAILURE_LIMIT_PER_ADDRESS = 6
    cache.clear()  # verified Basic headers are remembered per process


def basic(client, username: str, password: str, address: str = ATTACKER):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return client.get("/ogc/collections", HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR=address)


def lock_user_at_attacker(client) -> None:
    assert [basic(client, USER, f"wrong-{n}").status_code for n in range(3)] == [401, 401, 429]


def test_wrong_passwords_lock_that_name_at_that_address_only(client):
    lock_user_at_attacker(client)
    locked = basic(client, USER, PASSWORD)
    assert locked.status_code == 429 and locked.json()["code"] == "TooManySignIns"
    assert locked["Retry-After"] == "900" and "WWW-Authenticate" not in locked
    assert "15" in locked.json()["description"]
    assert basic(client, USER, PASSWORD, address=COLLEAGUE).status_code == 200
    assert basic(client, "diachinh.hongha", PASSWORD).status_code == 200


def test_many_usernames_from_one_address_lock_the_address(client):
    statuses = [basic(client, f"nobody-{n}", "guess").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert basic(client, USER, PASSWORD).status_code == 429
    assert basic(client, USER, PASSWORD, address=COLLEAGUE).status_code == 200


def test_the_counts_live_in_the_database_that_every_worker_shares(client):
    lock_user_at_attacker(client)
    assert sum(AccessAttempt.objects.filter(username=USER, ip_address=ATTACKER)
               .values_list("failures_since_start", flat=True)) == 3
    cache.clear()  # another worker process: none of this one's memory
    assert basic(client, USER, PASSWORD).status_code == 429


@pytest.fixture
def hashings(monkeypatch) -> list[str]:
    """Every password hashing: checking a password, or hashing one for a name that does not exist."""
    calls: list[str] = []
    hasher = type(get_hasher())
    encode = hasher.encode

    def counted(self, password, *args, **kwargs):
        calls.append(password)
        return encode(self, password, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counted)
    return calls


def test_a_locked_attempt_is_refused_before_any_password_hashing(client, hashings):
    lock_user_at_attacker(client)
    assert hashings == ["wrong-0", "wrong-1", "wrong-2"]
    hashings.clear()
    assert basic(client, USER, PASSWORD).status_code == 429
    assert basic(client, "nobody", "guess").status_code == 401 and hashings == ["guess"]


def test_a_lock_ends_after_the_cool_off_and_refused_tries_do_not_extend_it(client, settings):
    lock_user_at_attacker(client)
    counted = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    assert [basic(client, USER, PASSWORD).status_code for _ in range(5)] == [429] * 5
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == counted
    for attempt in AccessAttempt.objects.all():  # the cool-off passes
        attempt.attempt_time -= settings.AXES_COOLOFF_TIME
        attempt.save(update_fields=["attempt_time"])
    assert basic(client, USER, PASSWORD).status_code == 200


def test_the_admin_login_form_is_throttled_too(client):
    def sign_in(password: str) -> int:
        return client.post("/admin/login/", {"username": "quantri", "password": password},
                           REMOTE_ADDR=ATTACKER).status_code

    assert [sign_in(f"wrong-{n}") for n in range(3)] == [200, 200, 429]
    assert sign_in(PASSWORD) == 429


@pytest.fixture
def behind_a_proxy(settings) -> str:
    """IOC_TRUSTED_PROXIES names the reverse proxy 10.0.0.5; returns its address."""
    proxy = "10.0.0.5"
    settings.CONFIG = dataclasses.replace(settings.CONFIG, trusted_proxies=(ipaddress.ip_network(proxy),))
    return proxy


def test_behind_a_trusted_proxy_each_client_is_counted_at_its_own_address(client, behind_a_proxy):
    def via_proxy(password: str, forwarded_for: str) -> int:
        token = base64.b64encode(f"{USER}:{password}".encode()).decode()
        return client.get("/ogc/collections", HTTP_AUTHORIZATION=f"Basic {token}",
                          REMOTE_ADDR=behind_a_proxy, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert [via_proxy(f"wrong-{n}", ATTACKER) for n in range(3)] == [401, 401, 429]
    assert via_proxy(PASSWORD, f"{COLLEAGUE}, {ATTACKER}") == 429  # what the client prepends is not believed
    assert via_proxy(PASSWORD, COLLEAGUE) == 200


def test_x_forwarded_for_from_a_client_that_is_no_trusted_proxy_is_ignored(client):
    token = base64.b64encode(f"{USER}:wrong".encode()).decode()
    statuses = [client.get("/ogc/collections", HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR=ATTACKER,
                           HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 429]
