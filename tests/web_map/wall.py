"""Driving the map wall in the browser tests: wait for it, sign in, move the map, read figures."""

from __future__ import annotations

from pathlib import Path

import psycopg
from playwright.sync_api import BrowserContext, Page

from democity.models import DemoCity
from spatial.config import DatabaseConfig
from spatial.demo_accounts import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT = 60_000


def on_demo_clock(context: BrowserContext) -> None:
    """Run the pages' clock from the end of the demo's events (its 'today', 00:00 local time) instead of
    the calendar's: the wall's windows ('last 7 days') then cover the demo's days on any date."""
    context.clock.install(time=DemoCity.current().window().end)


def open_wall(page: Page, base: str, fragment: str = "") -> None:
    """Load the wall and wait until its statistics and first tiles are in."""
    page.goto(f"{base}/{fragment}")
    page.wait_for_function(
        "() => document.body.dataset.ready === 'true' || document.body.dataset.error", timeout=TIMEOUT
    )
    error = page.evaluate("document.body.dataset.error")
    assert error is None, f"the wall failed to start: {error}"
    settle(page)


def settle(page: Page) -> None:
    """Wait until every panel has drawn its tiles."""
    page.wait_for_function(
        "() => window.ioc.panels.every(p => p.map.loaded() && p.map.areTilesLoaded())", timeout=TIMEOUT
    )


def start_session(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign `username` in by the API the sign-in forms post to (POST /api/session/login with the CSRF token
    of GET /api/session), before any page is loaded: page.request shares the cookies of the page's browser
    context, so its pages are signed in."""
    session = page.request.get(f"{base}/api/session")
    assert session.ok, session.text()
    signed = page.request.post(
        f"{base}/api/session/login",
        headers={"X-CSRFToken": session.json()["csrfToken"]},
        data={"username": username, "password": password},
    )
    assert signed.ok, signed.text()


def sign_in(page: Page, base: str, username: str, fragment: str = "") -> None:
    """Open the wall once, signed in as the demo account `username` (the wall's sign-in form itself is
    tested by test_wall_sign_in)."""
    start_session(page, base, username)
    open_wall(page, base, fragment)
    assert page.text_content("#user") == username


def sign_in_through_the_form(page: Page, base: str, username: str, fragment: str = "") -> None:
    """Open the wall anonymously and sign in with its form, as a person would: the page reloads signed in."""
    open_wall(page, base, fragment)
    page.fill("#sign-in [name=username]", username)
    page.fill("#sign-in [name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in button[type=submit]")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    assert page.text_content("#user") == username
    settle(page)


def show_view(page: Page, code: str) -> None:
    page.click(f"#views [data-view='{code}']")
    page.wait_for_function(f"() => window.ioc.panels[0].viewCode === '{code}'")
    settle(page)


def jump(page: Page, lon: float, lat: float, zoom: float, panel: int = 0) -> None:
    page.evaluate(f"window.ioc.panels[{panel}].map.jumpTo({{center: [{lon}, {lat}], zoom: {zoom}}})")
    settle(page)


def rendered_ids(page: Page, layer_id: str, panel: int = 0) -> list[int]:
    """Ids of the features a panel draws for a layer, queried from the map itself."""
    return page.evaluate(
        f"window.ioc.panels[{panel}].map.queryRenderedFeatures({{layers: ['{layer_id}']}}).map(f => f.id)"
    )


def kpi(page: Page, key: str) -> int:
    """A whole number from the KPI panel (Vietnamese digit grouping: 1.035)."""
    text = page.text_content(f"[data-kpi='{key}']")
    return int(text.replace(".", "").replace(",", "").strip())


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    return path


def database_url() -> str:
    """The test database, for writes the live server must see (committed, outside the test's transaction)."""
    return DatabaseConfig.of_django().as_url()


def insert_incident(
    conn: psycopg.Connection, code: str, title: str, severity: str, lon: float, lat: float
) -> int:
    """A new incident written by plain SQL, as another system would; returns its id."""
    (incident_id,) = conn.execute(
        "INSERT INTO layers_incident (code, category, severity, status, title, description, source, "
        "reported_at, geom, created_at, updated_at, version) "
        "VALUES (%s, 'theft', %s, 'new', %s, '', 'test', now(), "
        "ST_SetSRID(ST_MakePoint(%s, %s), 4326), now(), now(), 1) RETURNING id",
        [code, severity, title, lon, lat],
    ).fetchone()
    return incident_id
