"""In a real browser (headless Chromium, offline), a department's staff member signs in, fills the form of
the demo's current month and submits it: the page shows the report submitted, with its history."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from democity.models import DemoCity
from indicators.periods import Period

pytestmark = pytest.mark.django_db
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
UNIT = "SNGV"
USERNAME = "nhap.sngv.trinhduyet"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def committed(work):
    """Run `work` on a connection of its own, committed at once: the live server sees it."""

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def staff_member() -> Iterator[str]:
    """A user working for the department UNIT, committed; removed with what it entered."""
    from django.contrib.auth.models import User
    from django_fsm_log.models import StateLog

    from indicators.models import IndicatorValue, PeriodReport
    from layers.models import ResponsibleUnit
    from spatial.demo_accounts import DEMO_PASSWORD
    from spatial.models import UnitAssignment

    period = Period.holding("month", DemoCity.current().today)

    def make() -> None:
        user = User.objects.create_user(USERNAME, password=DEMO_PASSWORD)
        UnitAssignment.objects.create(user=user, unit=ResponsibleUnit.objects.get(code=UNIT))

    def remove() -> None:
        reports = PeriodReport.objects.filter(agency__code=UNIT, period_start=period.start)
        StateLog.objects.filter(
            object_id__in=[str(pk) for pk in reports.values_list("pk", flat=True)],
            content_type__model="periodreport",
        ).delete()
        reports.delete()
        IndicatorValue.objects.filter(agency__code=UNIT, period_start=period.start).delete()
        User.objects.filter(username=USERNAME).delete()

    committed(remove)
    committed(make)
    yield period.label
    committed(remove)


def test_a_department_fills_its_form_and_submits_it(server_url, staff_member):
    from playwright.sync_api import sync_playwright

    from spatial.demo_accounts import DEMO_PASSWORD

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        try:
            page = browser.new_context(locale="vi-VN").new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{server_url}/api/session")
            token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
            signed = page.request.post(
                f"{server_url}/api/session/login",
                headers={"X-CSRFToken": token},
                data={"username": USERNAME, "password": DEMO_PASSWORD},
            )
            assert signed.ok, signed.text()
            page.goto(f"{server_url}/chi-tieu/nhap/{UNIT}/{staff_member}/")
            codes = page.eval_on_selector_all(
                "tr[data-indicator]", "rows => rows.map(r => r.dataset.indicator)"
            )
            assert "dossiers_received" in codes
            for code in codes:
                page.fill(f"#value-{code}", "70" if code == "dossiers_received" else "60")
            page.check("#entry [name=confirm]")
            with page.expect_navigation():
                page.click("#entry button[value=submit]")
            assert page.get_attribute(".status", "data-status") == "submitted"
            assert page.eval_on_selector_all("#history li", "items => items.map(i => i.dataset.state)") == [
                "submitted"
            ]
            assert page.input_value("#value-dossiers_received") == "70" and page.is_disabled(
                "#value-dossiers_received"
            )
            assert errors == []
        finally:
            browser.close()
            connections.close_all()
