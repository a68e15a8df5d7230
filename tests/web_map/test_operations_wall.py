"""Issue #19's wall, in real Chromium against a live server: an alert raised by its rule appears on the
wall within 2 s with its banner; the operator acknowledges it and opens an incident; the SOP panel lists
the steps; a step completed after its target time is marked late; the nearest resources are listed in
the order of a plain pgRouting query; a leader issues a directive that the unit's staff acknowledge and
close. What the test writes is committed (the server reads it) and removed afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from own_connection import committed
from PIL import Image
from road_routes import plain_pgrouting
from wall import screenshot, sign_in

from layers.models import Incident
from response.models import IncidentStep

pytestmark = pytest.mark.django_db
PLACE = (104.9035, 21.689)  # in Đồng Tâm
STATION = "WALL-AQ"


def raise_aqi_alert() -> int:
    """A station over AQI 150 for two hours and its rule evaluated now: the alert's id."""
    from alerts.evaluate import evaluate_all
    from alerts.models import Alert, AlertRule
    from layers.models import EnvStation, Observation

    now = timezone.now()
    station = EnvStation.objects.create(code=STATION, name="Trạm thử bản đồ", station_type="air",
                                        geom=Point(*PLACE, srid=4326))
    Observation.objects.bulk_create(
        Observation(layer="env_stations", feature_id=station.pk, metric="aqi", period="hour",
                    observed_at=now - timedelta(hours=hours), value=value)
        for hours, value in ((2, 120), (1, 170), (0, 185)))
    rule = AlertRule(code="wall-aqi", name="AQI vượt 150 trong 2 giờ", name_en="AQI above 150 for 2 hours",
                     kind="threshold", layer="env_stations", metric="aqi", comparison="gt", threshold=150,
                     readings=2, window_minutes=180, filters={"code": STATION}, category="Env",
                     severity="Severe", urgency="Immediate")
    rule.full_clean()
    rule.save()
    others = AlertRule.objects.filter(active=True).exclude(pk=rule.pk)
    kept = list(others.values_list("pk", flat=True))
    others.update(active=False)
    try:
        evaluate_all(now)
    finally:
        AlertRule.objects.filter(pk__in=kept).update(active=True)
    return Alert.objects.get(rule=rule).pk


def remove_what_the_test_made() -> None:
    from alerts.models import Alert, AlertRule
    from layers.models import EnvStation, Observation

    Alert.objects.filter(rule__code="wall-aqi").delete()
    AlertRule.objects.filter(code="wall-aqi").delete()
    station = EnvStation.objects.filter(code=STATION).first()
    if station:
        Observation.objects.filter(layer="env_stations", feature_id=station.pk).delete()
        station.delete()


@pytest.fixture
def cleanup():
    yield
    committed(remove_what_the_test_made)


def test_an_alert_is_acknowledged_and_handled_as_an_incident_with_its_sop(server_url, watched, cleanup,
                                                                          tmp_path):
    page = watched.page
    sign_in(page, server_url, "vanhanh")
    alert = committed(raise_aqi_alert)
    page.wait_for_selector(f"#alarms li[data-alert='{alert}'][data-status='open']", timeout=2000)
    assert page.evaluate("document.body.classList.contains('alarm')")  # the banner's colour
    assert page.query_selector(f".alarm-ring[data-alert='{alert}']")  # and its place on the map

    page.click(f"#alarms [data-acknowledge='{alert}']")
    page.wait_for_selector(f"#alarms li[data-alert='{alert}'][data-status='acknowledged']")
    assert "vanhanh" in page.text_content(f"#alarms li[data-alert='{alert}']")

    page.click(f"#alarms [data-incident='{alert}']")
    page.select_option("#incident .open-incident select[name=category]", "fire")
    page.click("#incident .open-incident button[type=submit]")
    page.wait_for_selector("#incident .steps li[data-step]")
    incident = Incident.objects.get(pk=int(page.get_attribute("#incident", "data-incident")))
    steps = list(IncidentStep.objects.filter(incident=incident).order_by("number"))
    assert len(steps) >= 2
    assert page.eval_on_selector_all("#incident .steps li[data-step]", "items => items.length") == len(steps)

    first = steps[0]  # its target time passes before it is done
    past = timezone.now() - timedelta(minutes=5)
    committed(lambda: IncidentStep.objects.filter(pk=first.pk).update(due_at=past))
    page.click(f"#incident form[data-step='{first.pk}'] button[type=submit]")
    page.wait_for_selector(f"#incident .steps li[data-step='{first.pk}'][data-status='done'].late")
    assert IncidentStep.objects.get(pk=first.pk).done_at is not None

    photo = tmp_path / "hien-truong.jpg"
    Image.new("RGB", (320, 240), (160, 60, 40)).save(photo, format="JPEG")
    page.fill("#incident .log-form input[name=note]", "Lực lượng PCCC đã có mặt tại hiện trường.")
    page.set_input_files("#incident .log-form input[name=photo]", str(photo))
    page.click("#incident .log-form button[type=submit]")
    page.wait_for_selector("#incident .log li img.photo")
    assert "Lực lượng PCCC đã có mặt" in page.text_content("#incident .log")
    page.click("#incident [data-kind='health']")
    page.wait_for_selector("#incident .nearest[data-kind='health'] li[data-resource]")
    shown = page.eval_on_selector_all("#incident .nearest li[data-resource]",
                                      "items => items.map(item => item.textContent)")
    expected = plain_pgrouting("health", incident.geom.x, incident.geom.y, 5)
    assert len(shown) == len(expected)
    from layers.models import HealthFacility

    names = [HealthFacility.objects.get(code=code).name for code, _cost in expected]
    assert [text.strip().split(" · ")[0] for text in shown] == names
    assert page.evaluate("Boolean(window.ioc.panels[0].map.getLayer('incident-routes'))")
    screenshot(page, "incident-response.png")
    assert watched.errors == [] and watched.outside == []


def test_a_leader_directs_a_unit_whose_staff_acknowledge_and_close_it(server_url, browser, tmp_path):
    from directives.models import Directive
    from layers.models import ResponsibleUnit

    unit = ResponsibleUnit.objects.get(name="UBND Nam Cường")
    leader = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN").new_page()
    sign_in(leader, server_url, "lanhdao")
    leader.click("#tools [data-side='directives']")
    leader.click("#directives .issue")
    leader.check(f"#directives input[name=units][value='{unit.pk}']")
    leader.fill("#directives input[name=title]", "Khắc phục điểm ngập trên đường Nguyễn Tất Thành")
    leader.fill("#directives textarea[name=text]", "Bố trí lực lượng thông cống, báo cáo trước hạn.")
    due = timezone.localtime() + timedelta(days=2)
    leader.fill("#directives input[name=due_at]", due.strftime("%Y-%m-%dT%H:%M"))
    leader.click("#directives .issue-form button[type=submit]")
    leader.wait_for_selector("#directives .directive[data-status='issued']")
    code = leader.get_attribute("#directives .directive", "data-code")
    directive = Directive.objects.get(code=code)
    assert (directive.unit, directive.issued_by.username) == (unit, "lanhdao")
    leader.context.close()

    staff = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN").new_page()
    sign_in(staff, server_url, "xuly.namcuong")
    staff.click("#tools [data-side='directives']")
    staff.click(f"#directives [data-open='{directive.pk}']")
    staff.click("#directives form[data-move='acknowledge'] button[type=submit]")
    staff.wait_for_selector("#directives .directive[data-status='acknowledged']")
    staff.fill("#directives form[data-move='done'] textarea[name=note]", "Đã thông cống, hết ngập.")
    evidence = tmp_path / "thong-cong.jpg"
    Image.new("RGB", (320, 240), (90, 120, 160)).save(evidence, format="JPEG")
    staff.set_input_files("#directives form[data-move='done'] input[name=photos]", str(evidence))
    staff.click("#directives form[data-move='done'] button[type=submit]")
    staff.wait_for_selector("#directives .directive[data-status='done']")
    assert Directive.objects.get(pk=directive.pk).status == "done"
    assert staff.query_selector("#directives .history img.photo")  # the evidence, shown
    staff.context.close()
    committed(lambda: Directive.objects.filter(batch=directive.batch).delete())
