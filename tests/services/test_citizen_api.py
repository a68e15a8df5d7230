"""The public citizen API: a challenge, filing a report (multipart, anonymous, CSRF-free like any
public form API, the challenge answered), and the public case page by tracking code, which shows the
timeline, the unit and the answers and never the reporter's personal data."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from layers.models import CitizenReport, ResponsibleUnit

pytestmark = pytest.mark.django_db
DONG_TAM = {"lon": "104.9035", "lat": "21.689"}


def challenge(client) -> dict:
    answer = client.get("/api/feedback/challenge")
    assert answer.status_code == 200
    body = answer.json()
    a, _plus, b, _eq = body["question"].split()[:4]
    return {"challenge": body["token"], "answer": str(int(a) + int(b))}


def photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 90, 40)).save(out, format="JPEG")
    out.seek(0)
    out.name = "rac.jpg"
    return out


def file(client, **fields):
    form = {"category": "environment", "title": "Rác thải đổ trộm bên đường", **DONG_TAM,
            "full_name": "Đặng Thu Trang", "phone": "0905111222", "email": "trang@example.vn",
            **challenge(client), **fields}
    return client.post("/api/feedback/reports", form)


def test_a_citizen_files_a_report_with_a_photo_and_gets_a_tracking_code(client):
    answer = file(client, photos=photo())
    assert answer.status_code == 201, answer.content
    code = answer.json()["code"]
    report = CitizenReport.objects.get(code=code)
    assert report.status == "received" and report.photos.count() == 1
    assert answer.json()["case_url"].endswith(code)


def test_the_photo_addresses_of_a_case_answer_with_the_cleaned_photo(client):
    code = file(client, photos=photo()).json()["code"]
    (address,) = client.get(f"/api/feedback/reports/{code}").json()["photos"]
    answer = client.get(address)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(answer.streaming_content))).size == (64, 48)


def test_a_wrong_or_missing_challenge_answer_is_refused_and_nothing_is_stored(client):
    before = CitizenReport.objects.count()
    wrong = file(client, answer="-1")
    assert wrong.status_code == 400 and "answer" in wrong.json()["description"]
    missing = client.post("/api/feedback/reports", {"category": "environment", "title": "x", **DONG_TAM})
    assert missing.status_code == 400 and "challenge" in missing.json()["description"]
    assert CitizenReport.objects.count() == before


def test_bad_input_names_the_field(client):
    answer = file(client, lat="north")
    assert answer.status_code == 400 and "lat" in answer.json()["description"]


def test_the_case_page_shows_the_timeline_and_never_personal_data(client):
    code = file(client).json()["code"]
    report = CitizenReport.objects.get(code=code)
    operator = get_user_model().objects.get(username="vanhanh")
    report.assign(unit=ResponsibleUnit.objects.filter(active=True).first(), by=operator)
    report.start(by=operator)
    report.resolve(response="Đã thu gom xong.", by=operator)
    report.save()

    case = client.get(f"/api/feedback/reports/{code}")
    assert case.status_code == 200
    body = case.json()
    assert body["status"] == "resolved" and body["unit"]
    steps = [step["status"] for step in body["timeline"]]
    assert steps == ["received", "assigned", "in_progress", "resolved"]
    assert body["timeline"][-1]["text"] == "Đã thu gom xong."
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("Đặng Thu Trang", "0905111222", "trang@example.vn", "vanhanh"):
        assert secret not in text
    assert client.get("/api/feedback/reports/PA-NOPE").status_code == 404


def resolved(client) -> tuple[str, str]:
    """A report filed by the test client and resolved; (code, the citizen's key)."""
    answer = file(client).json()
    report = CitizenReport.objects.get(code=answer["code"])
    operator = get_user_model().objects.get(username="vanhanh")
    report.assign(unit=ResponsibleUnit.objects.filter(active=True).first(), by=operator)
    report.start(by=operator)
    report.resolve(response="Đã xử lý.", by=operator)
    report.save()
    return answer["code"], answer["key"]


def test_the_citizen_rates_the_answer_once_with_the_key_given_at_filing(client):
    code, key = resolved(client)
    wrong = client.post(f"/api/feedback/reports/{code}/rating", {"key": "wrong", "stars": "5"})
    assert wrong.status_code == 403
    assert client.post(f"/api/feedback/reports/{code}/rating", {"key": key, "stars": "9"}).status_code == 400
    assert client.post(f"/api/feedback/reports/{code}/rating", {"key": key, "stars": "4"}).status_code == 200
    assert CitizenReport.objects.get(code=code).rating == 4
    assert client.post(f"/api/feedback/reports/{code}/rating", {"key": key, "stars": "5"}).status_code == 409


def test_the_citizen_reopens_a_resolved_report_with_the_key(client):
    code, key = resolved(client)
    answer = client.post(f"/api/feedback/reports/{code}/reopen", {"key": key, "reason": "Rác lại ùn ứ"})
    assert answer.status_code == 200, answer.content
    assert CitizenReport.objects.get(code=code).status == "received"
    assert client.get(f"/api/feedback/reports/{code}").json()["timeline"][-1]["status"] == "received"
