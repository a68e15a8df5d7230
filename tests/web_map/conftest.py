"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, kept off the network."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright
from wall import on_demo_clock

# Playwright's sync API keeps an event loop running in this thread; the ORM calls of the tests are
# still synchronous and run one at a time, so Django's guard against async use does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"
OFFLINE_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=OFFLINE_FLAGS)
        yield chromium
        # While Playwright's loop runs, Django keeps this thread's database connection in the
        # storage asgiref uses under a running loop; close it now, or it outlives the test database.
        connections.close_all()
        chromium.close()


class WatchedPage:
    """A page that records console errors and refuses every request leaving 127.0.0.1."""

    def __init__(self, page: Page) -> None:
        self.page, self.errors, self.outside = page, [], []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", self._guard)

    def _console(self, message) -> None:
        if message.type == "error":  # with where it came from: minified errors say little alone
            where = message.location.get("url", "")
            self.errors.append(f"{message.text} ({where}:{message.location.get('lineNumber')})")

    def _guard(self, route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.fixture
def watched(browser: Browser) -> Iterator[WatchedPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    on_demo_clock(context)
    yield WatchedPage(context.new_page())
    context.close()
