"""In a real browser (headless Chromium, offline), a department's staff member signs in, fills the form of
the demo's current month and submits it: the page shows the report submitted, with its history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from own_connection import committed
from wall import start_session

from democity.models import DemoCity
from indicators.periods import Period

pytestmark = pytest.mark.django_db
UNIT = "SNGV"
USERNAME = "nhap.sngv.trinhduyet"
SOURCE = "test:entry-browser"
PREVIOUS = 40.0  # dossiers received last month (jump factor 3)


@pytest.fixture
def staff_member() -> Iterator[str]:
    """A user working for the department UNIT, committed; removed with what it entered."""
    from django.contrib.auth.models import User
    from django.utils import timezone
    from django_fsm_log.models import StateLog

    from indicators.models import IndicatorValue, PeriodReport
    from layers.models import ResponsibleUnit
    from spatial.demo_accounts import DEMO_PASSWORD
    from spatial.models import UnitAssignment

    period = Period.holding("month", DemoCity.current().today)
    before = Period.holding("month", period.start - timedelta(days=1))

    def make() -> None:
        user = User.objects.create_user(USERNAME, password=DEMO_PASSWORD)
        agency = ResponsibleUnit.objects.get(code=UNIT)
        UnitAssignment.objects.create(user=user, unit=agency)
        # last month's figure (the demo leaves this department's last month unreported)
        IndicatorValue.objects.create(indicator="dossiers_received", agency=agency, period_kind="month",
                                      period_start=before.start, value=PREVIOUS, status="approved",
                                      reported_at=timezone.now(), source=SOURCE)

    def remove() -> None:
        reports = PeriodReport.objects.filter(agency__code=UNIT, period_start=period.start)
        StateLog.objects.filter(
            object_id__in=[str(pk) for pk in reports.values_list("pk", flat=True)],
            content_type__model="periodreport",
        ).delete()
        reports.delete()
        IndicatorValue.objects.filter(agency__code=UNIT, period_start=period.start).delete()
        IndicatorValue.objects.filter(source=SOURCE).delete()
        User.objects.filter(username=USERNAME).delete()

    committed(remove)
    committed(make)
    yield period.label
    committed(remove)


def test_a_department_fills_its_form_and_submits_it(server_url, watched, staff_member):
    page = watched.page
    failures: list[str] = []  # uncaught script errors (console messages are not checked here)
    page.on("pageerror", lambda error: failures.append(str(error)))
    start_session(page, server_url, USERNAME)
    page.goto(f"{server_url}/chi-tieu/nhap/{UNIT}/{staff_member}/")
    codes = page.eval_on_selector_all("tr[data-indicator]", "rows => rows.map(r => r.dataset.indicator)")
    assert "dossiers_received" in codes
    # 130 dossiers after last month's 40 is beyond the jump factor 3: marked as it is typed; 70 is not
    field = "#value-dossiers_received"
    assert (page.get_attribute(field, "data-previous"), page.get_attribute(field, "data-jump")) == ("40", "3")
    page.fill(field, "130")
    assert "jump" in (page.get_attribute(field, "class") or "").split()
    page.fill(field, "70")
    assert "jump" not in (page.get_attribute(field, "class") or "").split()
    for code in codes:
        page.fill(f"#value-{code}", "70" if code == "dossiers_received" else "60")
    page.check("#entry [name=confirm]")
    with page.expect_navigation():
        page.click("#entry button[value=submit]")
    assert page.get_attribute(".status", "data-status") == "submitted"
    history = page.eval_on_selector_all("#history li", "items => items.map(i => i.dataset.state)")
    assert history == ["submitted"]
    assert page.input_value("#value-dossiers_received") == "70"
    assert page.is_disabled("#value-dossiers_received")
    assert failures == [] and watched.outside == []
