"""The operator's feedback desk on the map wall, in real Chromium against a live server: the queue
beside the map, a citizen's new report showing in it within 2 s, a case opened from the map and
assigned in place, bulk assignment, and a hotline call placed on the map."""

from __future__ import annotations

import pytest
from django_fsm_log.models import StateLog
from wall import jump, screenshot, show_view, sign_in

from democity.models import DemoCity
from layers.models import CitizenReport, ResponsibleUnit

pytestmark = pytest.mark.django_db
LON, LAT = 104.9035, 21.689  # inside Đồng Tâm

FILE_REPORT = """async ([lon, lat, title]) => {
  const challenge = await (await fetch('/api/feedback/challenge')).json();
  const [a, b] = challenge.question.match(/\\d+/g).map(Number);
  const form = new FormData();
  for (const [name, value] of Object.entries({category: 'environment', title, description: 'Khói đen',
    lon, lat, challenge: challenge.token, answer: String(a + b)})) form.append(name, value);
  const answer = await fetch('/api/feedback/reports', {method: 'POST', body: form});
  return (await answer.json()).code;
}"""


def open_desk(page, base: str) -> None:
    sign_in(page, base, "vanhanh")
    page.click("#desk-toggle")
    page.wait_for_selector("#desk:not([hidden]) #desk-list li[data-id]")


def test_the_operator_sees_a_citizens_report_arrive_and_assigns_it_in_place(server_url, watched, browser):
    page = watched.page
    open_desk(page, server_url)
    open_count = CitizenReport.objects.filter(
        status__in=["received", "assigned", "in_progress", "waiting"]).count()
    assert page.get_attribute("#desk", "data-total") == str(open_count)

    citizen = browser.new_context()
    phone = citizen.new_page()
    phone.goto(f"{server_url}/healthz")
    code = phone.evaluate(FILE_REPORT, [LON, LAT, "Đốt rác gây khói"])  # returns once it is stored
    citizen.close()
    page.wait_for_selector(f"#desk-list li.new[data-code='{code}']", timeout=2000)  # within 2 s
    assert page.text_content("#ticker-list [data-layer='citizen_reports']")  # the live ticker too

    page.click(f"#desk-list li[data-code='{code}'] .row")
    page.wait_for_selector(f"#desk-case[data-code='{code}'][data-status='received']")
    report = CitizenReport.objects.get(code=code)
    page.click("#desk-case [data-move='assign']")
    page.click("#desk-move button[type=submit]")  # the routed unit is chosen already
    page.wait_for_selector(f"#desk-case[data-code='{code}'][data-status='assigned']")
    stored = CitizenReport.objects.get(pk=report.pk)
    assert stored.status == "assigned" and stored.unit is not None
    log = StateLog.objects.for_(stored).get()
    assert (log.transition, log.by.username) == ("assign", "vanhanh")
    assert stored.unit.name in page.text_content("#desk-case dl")

    page.click("#desk-case [data-move='start']")
    page.click("#desk-move button[type=submit]")
    page.wait_for_selector("#desk-case[data-status='in_progress']")
    page.click("#desk-case [data-move='resolve']")
    page.click("#desk-move button[type=submit]")  # no response: the browser asks for one
    assert CitizenReport.objects.get(pk=report.pk).status == "in_progress"
    page.fill("#desk-move textarea[name=note]", "Đã nhắc nhở hộ dân, không còn đốt rác.")
    page.click("#desk-move button[type=submit]")
    page.wait_for_selector("#desk-case[data-status='resolved']")
    assert "Đã nhắc nhở hộ dân" in page.text_content("#desk-case .timeline")
    screenshot(page, "feedback-desk.png")
    assert watched.errors == [] and watched.outside == []


def test_a_report_clicked_on_the_map_opens_its_case_file(server_url, watched):
    page = watched.page
    open_desk(page, server_url)
    show_view(page, "feedback")
    demo_today = DemoCity.current().window().end  # the wall's window ends there (on_demo_clock)
    report = (CitizenReport.objects.filter(status="received", received_at__lt=demo_today)
              .order_by("-received_at").first())
    jump(page, report.geom.x, report.geom.y, 18)
    page.wait_for_function(f"""() => window.ioc.panels[0].map.queryRenderedFeatures(
        {{layers: ['citizen_reports']}}).some(f => f.id === {report.pk})""", timeout=20000)
    point = page.evaluate(f"window.ioc.panels[0].map.project([{report.geom.x}, {report.geom.y}])")
    box = page.locator(".panel .map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector(f"#desk-case[data-code='{report.code}']")
    assert watched.errors == []


def test_bulk_assignment_and_a_hotline_call(server_url, watched):
    page = watched.page
    open_desk(page, server_url)
    page.select_option("#desk-filters select[name=unit]", "none")
    page.wait_for_selector("#desk[data-query*='unit=none'] #desk-list li[data-id]")
    ids = [int(i) for i in page.eval_on_selector_all(
        "#desk-list li[data-id]", "items => items.slice(0, 2).map(item => item.dataset.id)")]
    statuses = dict(CitizenReport.objects.filter(pk__in=ids).values_list("pk", "status"))
    for report_id in ids:
        page.check(f"#desk-list li[data-id='{report_id}'] input[type=checkbox]")
    unit = ResponsibleUnit.objects.get(code="SXD")
    page.select_option("#desk-bulk select[name=unit]", str(unit.pk))
    page.click("#desk-bulk button[type=submit]")
    page.wait_for_function("() => document.querySelector('#desk-bulk-result').textContent.length > 0")
    for report_id in ids:
        stored = CitizenReport.objects.get(pk=report_id)
        if statuses[report_id] == "received":
            assert (stored.status, stored.unit_id) == ("assigned", unit.pk)

    page.click("#desk-call")
    page.select_option("#desk-hotline select[name=category]", "infrastructure")
    page.fill("#desk-hotline input[name=title]", "Hố ga mất nắp trước chợ")
    page.fill("#desk-hotline input[name=phone]", "0987654321")
    jump(page, LON, LAT, 16)
    box = page.locator(".panel .map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.click("#desk-hotline button[type=submit]")
    page.wait_for_function("() => document.querySelector('#desk-hotline .result').textContent.includes('-')")
    code = page.text_content("#desk-hotline .result").split()[-1]
    call = CitizenReport.objects.get(code=code)
    assert (call.channel, call.category, call.reporter.phone) == ("hotline", "infrastructure", "0987654321")
    assert abs(call.geom.x - LON) < 0.001 and abs(call.geom.y - LAT) < 0.001
    assert watched.errors == []
