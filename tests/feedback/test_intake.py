"""A citizen files a report: it is stored received, in the commune holding its point, with a tracking
code, its deadline and its likely duplicate; photos are re-encoded without EXIF or GPS tags and
capped in number, size and pixels; personal data go to the reporter's record only; one address may
file only so many reports an hour."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from feedback.intake import IntakeError, Photo, file_report
from layers.models import CitizenReporter
from spatial.errors import TooManyRequests

pytestmark = pytest.mark.django_db
DONG_TAM = (104.9035, 21.689)


def jpeg_with_gps(size: tuple[int, int] = (800, 600)) -> bytes:
    image = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 41.0, 20.0), 3: "E", 4: (104.0, 54.0, 12.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_report_is_received_in_its_commune_with_a_code_a_deadline_and_clean_photos(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(0x8825), "the fixture carries GPS"
    report = file_report(category="environment", title="Rác thải đổ trộm", description="Sau chợ",
                         lon=DONG_TAM[0], lat=DONG_TAM[1], photos=[Photo("a.jpg", jpeg_with_gps())],
                         contact={"full_name": "Lê Văn Cường", "phone": "0987654321",
                                  "email": "cuong@example.vn"},
                         address="198.51.100.7")
    assert report.code.startswith("PA-") and report.status == "received" and report.channel == "web"
    assert report.ward.valid_to is None and report.due_at > report.received_at  # today's commune there
    (photo,) = report.photos.all()
    stored = Image.open(photo.image.path)
    assert stored.format == "JPEG" and not stored.getexif() and "exif" not in stored.info
    assert CitizenReporter.objects.get(report=report).phone == "0987654321"


def test_a_photo_too_large_or_not_an_image_or_a_fourth_one_is_refused_naming_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    at = {"category": "environment", "title": "Rác", "lon": DONG_TAM[0], "lat": DONG_TAM[1], "address": "x"}
    with pytest.raises(IntakeError, match="b.png"):
        file_report(**at, photos=[Photo("b.png", b"not an image")])
    with pytest.raises(IntakeError, match="3"):
        file_report(**at, photos=[Photo(f"{i}.jpg", jpeg_with_gps((10, 10))) for i in range(4)])
    with pytest.raises(IntakeError, match="big.jpg"):
        file_report(**at, photos=[Photo("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1))])


def test_a_point_outside_the_city_or_an_unknown_category_is_refused():
    with pytest.raises(IntakeError, match="vị trí|location"):
        file_report(category="environment", title="Rác", lon=105.9, lat=21.0, address="x")
    with pytest.raises(IntakeError, match="category"):
        file_report(category="weather", title="Mưa", lon=DONG_TAM[0], lat=DONG_TAM[1], address="x")


def test_one_address_may_file_only_so_many_reports_an_hour(settings):
    settings.IOC_FEEDBACK_PER_HOUR = 2
    at = {"category": "public_order", "title": "Lấn chiếm vỉa hè", "lon": DONG_TAM[0], "lat": DONG_TAM[1]}
    file_report(**at, address="203.0.113.9")
    file_report(**at, address="203.0.113.9")
    with pytest.raises(TooManyRequests):
        file_report(**at, address="203.0.113.9")
    file_report(**at, address="203.0.113.10")  # another address is not held back
