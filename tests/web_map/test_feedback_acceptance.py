"""Issue #18's acceptance, end to end in real Chromium against a live server and its queue worker:
a citizen files a report from a phone (a photo, a point tapped on the map) and gets its code; the
operator sees it on the wall within 2 s and assigns it; the unit's staff member resolves it with a
response; the citizen's case page shows the timeline; an e-mail reaches a real SMTP server, a webhook
receiver gets signed events and an MQTT subscriber gets the status topics."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from own_connection import committed
from PIL import Image
from receivers import wait_for
from wall import TIMEOUT, on_demo_clock, screenshot, sign_in

from layers.models import AdminUnit, CitizenReport, ResponsibleUnit
from notify.signatures import verify
from spatial.config import DatabaseConfig

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
STAFF, UNIT, WARD = "xuly.namcuong", "UBND Nam Cường", "Nam Cường"  # a demo account and its unit
SECRET = "acceptance-secret"
RESPONSE = "Đã thu gom rác và nhắc nhở hộ kinh doanh."


@contextmanager
def queue_worker(folder: Path, **settings_env: str) -> Iterator[None]:
    """`ioc procrastinate worker --queues notify,feedback` on the test database, as scripts/up.sh runs it."""
    env = {**{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DATABASE_URL": DatabaseConfig.of_django().as_url(), **settings_env}
    with open(folder / "worker.log", "wb") as log:
        command = [sys.executable, "-m", "ioc.cli", "procrastinate", "worker", "--queues", "notify,feedback"]
        worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def photo_with_gps(path: Path) -> Path:
    """A JPEG whose EXIF carries GPS tags, as a phone's camera writes it."""
    image = Image.new("RGB", (640, 480), (120, 160, 90))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 41.0, 20.0), 3: "E", 4: (104.0, 54.0, 10.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def ward_point() -> tuple[float, float]:
    ward = AdminUnit.objects.filter(name=WARD, level="commune", valid_to__isnull=True).get()
    return ward.geom.point_on_surface.coords


def test_a_citizens_report_goes_round_the_whole_loop(
        browser, start_server, smtp_server, receiver, subscriber, mqtt_url, tmp_path):
    from notify.models import WebhookEndpoint

    committed(lambda: WebhookEndpoint.objects.update_or_create(
        name="acceptance", defaults={"url": receiver.url, "secret": SECRET, "event_types": ["feedback.*"],
                                     "active": True}))
    heard = subscriber("ioc/feedback/report/#")
    settings_env = {"IOC_EMAIL_HOST": smtp_server.host, "IOC_EMAIL_PORT": str(smtp_server.port),
                    "IOC_MQTT_URL": mqtt_url, "IOC_NOTIFY_BACKOFF_S": "1.5", "IOC_FEEDBACK_PER_HOUR": "1000"}
    base = start_server(**settings_env)
    unit = ResponsibleUnit.objects.get(name=UNIT)
    lon, lat = ward_point()

    with queue_worker(tmp_path, **settings_env):
        # the operator watches the wall with the feedback desk open
        operator_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        on_demo_clock(operator_context)
        wall = operator_context.new_page()
        sign_in(wall, base, "vanhanh")
        wall.click("#desk-toggle")
        wall.wait_for_selector("#desk-list li[data-id]")

        # a citizen files from a phone
        phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN",
                                            geolocation={"longitude": lon, "latitude": lat},
                                            permissions=["geolocation"])
        phone = phone_context.new_page()
        phone.goto(f"{base}/phan-anh/")
        phone.wait_for_selector("#report-form[aria-busy='false']", timeout=TIMEOUT)
        phone.select_option("[name=category]", "environment")
        phone.fill("[name=title]", "Rác thải đổ trộm ven đường")
        phone.fill("[name=description]", "Đống rác lớn bốc mùi cạnh cột điện.")
        phone.set_input_files("input[type=file][name=photos]", str(photo_with_gps(tmp_path / "rac.jpg")))
        phone.click("#use-location")  # centres the map on the phone's position
        phone.wait_for_function("() => document.querySelector('[name=lon]').value !== ''")
        box = phone.locator("#map").bounding_box()
        phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # tap the point
        phone.fill("[name=email]", "cong.dan@example.vn")
        a, b = (int(n) for n in phone.text_content("#challenge-question").split("=")[0].split("+"))
        phone.fill("[name=answer]", str(a + b))
        phone.click("#report-form button[type=submit]")
        phone.wait_for_selector("#code", timeout=TIMEOUT)  # shown once the report is stored
        code = phone.text_content("#code").strip()
        report = CitizenReport.objects.get(code=code)
        assert abs(report.geom.x - lon) < 0.0005 and abs(report.geom.y - lat) < 0.0005
        assert report.photos.count() == 1
        with urllib.request.urlopen(f"{base}/phan-anh/{code}/anh/1") as served:  # as the server stored it
            assert not Image.open(io.BytesIO(served.read())).getexif()  # no EXIF, so no GPS tags
        screenshot(phone, "citizen-filed.png")

        # the operator sees it within 2 s and assigns it to the unit
        wall.wait_for_selector(f"#desk-list li.new[data-code='{code}']", timeout=2000)
        wall.click(f"#desk-list li[data-code='{code}'] .row")
        wall.wait_for_selector(f"#desk-case[data-code='{code}'][data-status='received']")
        wall.click("#desk-case [data-move='assign']")
        wall.select_option("#desk-move select[name=unit]", str(unit.pk))
        wall.click("#desk-move button[type=submit]")
        wall.wait_for_selector(f"#desk-case[data-code='{code}'][data-status='assigned']")
        operator_context.close()

        # the unit's staff member starts and resolves it with a response
        staff_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        on_demo_clock(staff_context)
        desk = staff_context.new_page()
        sign_in(desk, base, STAFF)
        desk.click("#desk-toggle")
        desk.fill("#desk-filters input[name=q]", code)
        desk.wait_for_selector(f"#desk-list li[data-code='{code}']")
        desk.click(f"#desk-list li[data-code='{code}'] .row")
        desk.wait_for_selector(f"#desk-case[data-code='{code}'][data-status='assigned']")
        assert desk.query_selector("#desk-case [data-move='reassign']") is None  # operators' move
        desk.click("#desk-case [data-move='start']")
        desk.click("#desk-move button[type=submit]")
        desk.wait_for_selector("#desk-case[data-status='in_progress']")
        desk.click("#desk-case [data-move='resolve']")
        desk.fill("#desk-move textarea[name=note]", RESPONSE)
        desk.click("#desk-move button[type=submit]")
        desk.wait_for_selector("#desk-case[data-status='resolved']")
        staff_context.close()

        # the citizen's case page tells the story
        phone.goto(f"{base}/phan-anh/{code}")
        phone.wait_for_selector("#timeline li", timeout=TIMEOUT)
        timeline = phone.text_content("#timeline")
        assert RESPONSE in timeline
        assert UNIT in phone.text_content("main")
        for private in ("cong.dan@example.vn", STAFF, "vanhanh"):
            assert private not in phone.content()
        screenshot(phone, "citizen-case.png")
        phone_context.close()

        # what left the platform: e-mail, signed webhooks, MQTT topics
        def mails_to_citizen() -> list[str]:
            return [message.get_body(preferencelist=("plain",)).get_content()
                    for to, message in smtp_server.messages if "cong.dan@example.vn" in to]

        wait_for(lambda: any(code in text and RESPONSE in text for text in mails_to_citizen()), 30,
                 "the citizen's e-mail with the response")
        moves = ["assigned", "in_progress", "resolved"]
        wait_for(lambda: {r.json()["type"] for r in receiver.requests if r.json()["data"]["code"] == code}
                 >= {f"feedback.report.{m}" for m in moves}, 30, "the webhooks")
        for request in receiver.requests:
            assert verify(SECRET, request.headers["X-Ioc-Timestamp"], request.body,
                          request.headers["X-Ioc-Signature"])
        wait_for(lambda: {m.topic for m in heard.messages if code.encode() in m.payload}
                 >= {f"ioc/feedback/report/{m}" for m in moves}, 30, "the MQTT topics")
