"""The incident log: who did what and when, with notes and photos. The opening and each completed step
write to it; operators add notes and photos (re-encoded, no EXIF or GPS tags), in time order."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from response_calls import open_by_api

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 41.0, 20.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def post_log(client, as_user, incident: int, user: str = "vanhanh", **fields):
    return client.post(f"/api/response/incidents/{incident}/log", fields, **as_user(user))


def test_a_note_is_added_and_listed_in_time_order(api, sop, clock, client, as_user):
    incident = open_by_api(api)["incident"]["id"]
    clock.advance(minutes=4)
    answer = post_log(client, as_user, incident, note="Đội điện lực đã đến hiện trường")
    assert answer.status_code == 201, answer.content
    entry = answer.json()
    assert (entry["kind"], entry["by"], entry["at"], entry["note"], entry["photo"]) == (
        "note", "vanhanh", "2026-03-02T08:04:00+07:00", "Đội điện lực đã đến hiện trường", None)
    clock.advance(minutes=1)
    api("POST", f"incidents/{incident}/log", {"note": "Đã thông đường"})
    log = api("GET", f"incidents/{incident}/log").json()["log"]
    assert [(e["kind"], e["at"][11:16]) for e in log] == [("opened", "08:00"), ("note", "08:04"),
                                                          ("note", "08:05")]
    assert log[0]["by_name"] == "Phạm Quốc Dũng"


def test_a_photo_is_kept_without_its_metadata_and_served_to_readers(api, sop, clock, client, as_user):
    incident = open_by_api(api)["incident"]["id"]
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "hien-truong.jpg"
    answer = post_log(client, as_user, incident, note="Ảnh hiện trường", photo=photo)
    assert answer.status_code == 201, answer.content
    url = answer.json()["photo"]
    assert url == f"/api/response/incidents/{incident}/log/{answer.json()['id']}/photo"
    served = client.get(url, **as_user("lanhdao"))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    kept = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert kept.size == (64, 48) and not kept.getexif()
    assert client.get(url).status_code == 401
    assert client.get(url, **as_user("gis")).status_code == 403


def test_a_photo_alone_is_an_entry(api, sop, clock, client, as_user):
    incident = open_by_api(api)["incident"]["id"]
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "a.jpg"
    assert post_log(client, as_user, incident, photo=photo).status_code == 201


@pytest.mark.parametrize(("fields", "named"), [
    ({}, "note"), ({"note": "   "}, "note"),
    ({"note": "x", "photo": io.BytesIO(b"not an image")}, "photo")])
def test_an_entry_without_a_note_or_with_a_bad_photo_is_refused(api, sop, clock, client, as_user, fields,
                                                               named):
    incident = open_by_api(api)["incident"]["id"]
    if "photo" in fields:
        fields["photo"].name = "x.jpg"
    answer = post_log(client, as_user, incident, **fields)
    assert answer.status_code == 400
    assert answer.json()["description"].startswith(f"{named}:")
    assert " / " in answer.json()["description"]  # Vietnamese / English
