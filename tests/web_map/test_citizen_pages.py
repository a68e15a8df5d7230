"""The citizens' pages in real headless Chromium on a phone (390×844) against the live server: file a
report with a photo and a point on the map, answer the check question, get the tracking code, follow
the case (timeline, unit, answers, rating with the key); a wrong answer files nothing; English with
?lang=en; a Vietnamese 404 for an unknown code; no request ever leaves the test server."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page
from wall import TIMEOUT

from feedback.models import Submission
from layers.models import AdminUnit, CitizenReport, ResponsibleUnit
from layers.vocabularies import REPORT_CATEGORY

pytestmark = pytest.mark.django_db
PHONE = {"width": 390, "height": 844}
SECRETS = {"full_name": "Đặng Thu Trang", "phone": "0905111222", "email": "trang@example.vn"}


def committed(work: Callable[[], object]) -> object:
    """Run `work` on a database connection of its own, committed at once: the live server sees it."""
    def run() -> object:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


class Phone:
    """A phone's page that records every request (and refuses those leaving 127.0.0.1) and errors."""

    def __init__(self, page: Page) -> None:
        self.page, self.requested, self.errors = page, [], []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"{m.text} {m.location}"))
        page.route("**/*", self._record)

    def _record(self, route) -> None:
        url = route.request.url
        self.requested.append(url)
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            route.abort()

    def outside(self, base: str) -> list[str]:
        return [url for url in self.requested if not url.startswith((f"{base}/", "data:", "blob:"))]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Phone]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                                  locale="vi-VN", permissions=["geolocation"],
                                  geolocation={"longitude": 104.9035, "latitude": 21.689})
    yield Phone(context.new_page())
    context.close()


@pytest.fixture
def filed(django_db_blocker) -> Iterator[list[str]]:
    """Codes of the reports a test files through the live server; deleted afterwards (with their
    submissions, so the per-address hourly limit is not used up by the tests)."""
    codes: list[str] = []
    yield codes

    def delete() -> None:
        Submission.objects.filter(report__code__in=codes).delete()
        CitizenReport.objects.filter(code__in=codes).delete()

    with django_db_blocker.unblock():
        committed(delete)


def jpeg_with_gps() -> bytes:
    """A small photo as a phone takes it: EXIF with the camera's make and GPS position."""
    image = Image.new("RGB", (320, 240), (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 41.0, 20.0), 3: "E", 4: (104.0, 54.0, 12.0)})  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(0x8825)  # the GPS tags are there
    return out.getvalue()


def dong_tam_centre() -> tuple[float, float]:
    ward = AdminUnit.objects.get(name="Đồng Tâm", level="commune")
    return ward.geom.point_on_surface.x, ward.geom.point_on_surface.y


def open_form(page: Page, base: str, query: str = "") -> None:
    page.goto(f"{base}/phan-anh/{query}")
    page.wait_for_function("() => document.body.dataset.ready === 'true' || document.body.dataset.error",
                           timeout=TIMEOUT)
    assert page.evaluate("document.body.dataset.error") is None
    assert page.get_attribute("#report-form", "aria-busy") == "false"


def place_point(page: Page, lon: float, lat: float) -> None:
    """Centre the form's map on the point, then tap the map's middle, as a citizen would."""
    page.evaluate(f"window.citizen.map.jumpTo({{center: [{lon}, {lat}], zoom: 16}})")
    page.locator("#map canvas").click()  # scrolled into view, tapped in its middle
    page.wait_for_function("() => document.querySelector('[name=lon]').value !== ''")


def answer(page: Page) -> str:
    """The sum asked by the check question ("3 + 4 = ?"), worked out from its text."""
    question = page.text_content("#challenge-question")
    a, b = re.fullmatch(r"\s*(\d+)\s*\+\s*(\d+)\s*=\s*\?\s*", question).groups()
    return str(int(a) + int(b))


def fill_form(page: Page, title: str, photo: bytes | None = None) -> None:
    page.select_option("[name=category]", "environment")
    page.fill("[name=title]", title)
    page.fill("[name=description]", "Rác đổ trộm cạnh mương, bốc mùi.")
    if photo is not None:
        page.set_input_files("input[type=file][name=photos]",
                             files=[{"name": "rac.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    place_point(page, *dong_tam_centre())
    page.fill("[name=full_name]", SECRETS["full_name"])
    page.fill("[name=phone]", SECRETS["phone"])
    page.fill("[name=email]", SECRETS["email"])


def local_time(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


def test_a_citizen_files_a_report_from_a_phone_and_follows_it_on_the_case_page(server_url, phone, filed,
                                                                                django_db_blocker):
    page = phone.page
    open_form(page, server_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    fill_form(page, "Rác thải đổ trộm bên mương", jpeg_with_gps())
    page.fill("[name=answer]", answer(page))
    page.click("button[type=submit]")
    page.wait_for_selector("#code", state="visible", timeout=TIMEOUT)
    code = page.text_content("#code").strip()
    filed.append(code)
    assert re.fullmatch(r"PA-\d{8}-[0-9A-F]{6}", code)
    assert page.get_attribute("#case-link", "href") == f"/phan-anh/{code}"
    key = page.text_content("#key").strip()
    assert len(key) >= 16

    report = CitizenReport.objects.get(code=code)
    lon, lat = dong_tam_centre()
    assert report.category == "environment" and report.channel == "web" and report.status == "received"
    assert abs(report.geom.x - lon) < 1e-4 and abs(report.geom.y - lat) < 1e-4  # the tapped point
    assert report.photos.count() == 1
    stored = page.request.get(f"{server_url}/phan-anh/{code}/anh/1")
    assert stored.status == 200 and stored.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(stored.body()))
    assert image.size == (320, 240) and not image.getexif() and "exif" not in image.info

    # the case page: status, unit, received time in Asia/Ho_Chi_Minh, timeline, photo, point
    page.click("#case-link")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    text = page.text_content("body")
    assert code in text and "Rác thải đổ trộm bên mương" in text and REPORT_CATEGORY["environment"].vi in text
    assert page.text_content("#status").strip() == "Đã tiếp nhận"
    assert local_time(report.received_at) in page.text_content("#received-at")
    assert page.locator("#timeline li").count() == 1
    photos = "[...document.querySelectorAll('#photos img')]"
    page.wait_for_function(f"() => {photos}.length === 1 && {photos}.every(img => img.naturalWidth > 0)")
    assert page.evaluate("window.citizen.marker.getLngLat().toArray()") == pytest.approx([lon, lat], abs=1e-4)

    # the office answers: the timeline grows with the public answer, and the key (kept on this phone
    # since filing) rates the resolved report
    def answer_it() -> str:
        case = CitizenReport.objects.get(code=code)
        operator = get_user_model().objects.get(username="vanhanh")
        unit = ResponsibleUnit.objects.filter(active=True).order_by("pk").first()
        case.assign(unit=unit, by=operator)
        case.start(by=operator)
        case.resolve(response="Đã thu gom xong, cảm ơn bạn.", by=operator)
        case.save()
        return unit.name

    with django_db_blocker.unblock():
        unit = committed(answer_it)
    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    assert page.text_content("#status").strip() == "Đã giải quyết"
    assert page.text_content("#unit").strip() == unit
    assert page.locator("#timeline li").count() == 4
    assert "Đã thu gom xong, cảm ơn bạn." in page.text_content("#timeline")
    resolved = CitizenReport.objects.get(code=code).resolved_at
    assert local_time(resolved) in page.text_content("#resolved-at")
    text = page.text_content("body")
    for secret in (*SECRETS.values(), "vanhanh", key):
        assert secret not in text
    page.click("#rating [data-stars='4']")
    page.wait_for_selector("#rating-result", state="visible")
    assert CitizenReport.objects.get(code=code).rating == 4
    assert page.is_visible("#reopen")
    assert phone.outside(server_url) == [] and phone.errors == []


def test_a_wrong_answer_is_shown_next_to_the_question_and_nothing_is_filed(server_url, phone, filed):
    page = phone.page
    open_form(page, server_url)
    before = CitizenReport.objects.count()
    fill_form(page, "Đèn đường hỏng")
    page.fill("[name=answer]", str(int(answer(page)) + 1))
    page.click("button[type=submit]")
    message = page.wait_for_selector("[data-error-for=answer]:not(:empty)", timeout=TIMEOUT)
    assert "chưa đúng" in message.text_content()
    assert CitizenReport.objects.count() == before
    assert not page.is_visible("#code")
    # a second try with the right answer to the (new) question files it
    page.fill("[name=answer]", answer(page))
    page.click("button[type=submit]")
    page.wait_for_selector("#code", state="visible", timeout=TIMEOUT)
    filed.append(page.text_content("#code").strip())
    assert CitizenReport.objects.count() == before + 1
    refused = f"status of 400 (Bad Request) {{'url': '{server_url}/api/feedback/reports'"  # the wrong answer
    assert phone.outside(server_url) == [] and [e for e in phone.errors if refused not in e] == []


def test_a_point_outside_the_city_is_refused_next_to_the_map(server_url, phone):
    page = phone.page
    open_form(page, server_url)
    before = CitizenReport.objects.count()
    fill_form(page, "Ổ gà")
    place_point(page, 105.8, 21.0)  # Hà Nội: no commune of this city holds it
    page.fill("[name=answer]", answer(page))
    page.click("button[type=submit]")
    message = page.wait_for_selector("[data-error-for=location]:not(:empty)", timeout=TIMEOUT)
    assert "ngoài địa bàn" in message.text_content()
    assert CitizenReport.objects.count() == before and not page.is_visible("#code")


def test_photos_are_checked_on_the_phone_before_sending(server_url, phone):
    page = phone.page
    open_form(page, server_url)
    small = {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    four = [{**small, "name": f"{n}.jpg"} for n in range(4)]
    page.set_input_files("input[type=file][name=photos]", files=four)
    assert "tối đa 3 ảnh" in page.text_content("[data-error-for=photos]")
    big = {"name": "to.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (5 * 1024 * 1024 + 1)}
    page.set_input_files("input[type=file][name=photos]", files=[big])
    assert "to.jpg" in page.text_content("[data-error-for=photos]")
    assert "5 MB" in page.text_content("[data-error-for=photos]")
    page.set_input_files("input[type=file][name=photos]", files=[small])
    assert page.text_content("[data-error-for=photos]") == ""
    assert phone.errors == []


def test_use_my_location_places_the_point_where_the_phone_is(server_url, phone):
    page = phone.page
    open_form(page, server_url)
    page.click("#use-location")
    page.wait_for_function("() => document.querySelector('[name=lat]').value !== ''")
    assert float(page.input_value("[name=lon]")) == pytest.approx(104.9035, abs=1e-6)
    assert float(page.input_value("[name=lat]")) == pytest.approx(21.689, abs=1e-6)
    assert page.evaluate("window.citizen.marker.getLngLat().toArray()") == pytest.approx([104.9035, 21.689])
    assert page.evaluate("window.citizen.map.getCenter().toArray()") == pytest.approx([104.9035, 21.689])
    box = page.locator("#map").bounding_box()  # the map is in view below the button: a tap in its middle
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # keeps the point there
    assert float(page.input_value("[name=lon]")) == pytest.approx(104.9035, abs=1e-5)
    assert phone.outside(server_url) == [] and phone.errors == []


def test_the_pages_speak_english_with_lang_en(server_url, phone):
    page = phone.page
    open_form(page, server_url, "?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    labels = page.eval_on_selector_all("[name=category] option:not([value=''])", "os => os.map(o => o.text)")
    assert labels == [term.en for term in REPORT_CATEGORY.terms]
    assert "Send" in page.text_content("button[type=submit]") and page.title().startswith("Report a problem")
    report = CitizenReport.objects.filter(status="resolved").order_by("pk").first()
    page.goto(f"{server_url}/phan-anh/{report.code}?lang=en")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=TIMEOUT)
    assert page.text_content("#status").strip() == "Resolved"
    assert REPORT_CATEGORY[report.category].en in page.text_content("#category")
    assert phone.outside(server_url) == [] and phone.errors == []


def test_an_unknown_code_gets_a_vietnamese_404_page(server_url, phone):
    answer_ = phone.page.goto(f"{server_url}/phan-anh/PA-00000000-NOPE00")
    assert answer_.status == 404
    assert "Không tìm thấy phản ánh" in phone.page.text_content("body")
    assert phone.page.request.get(f"{server_url}/phan-anh/PA-00000000-NOPE00/anh/1").status == 404
