"""POST requests.{fmt} (GeoReport v2, form-encoded, anonymous allowed): a report is filed and its
id returned at once (realtime services: no token); the contact goes to the restricted reporter
record; bad input is the spec's 400 naming the parameter; an api_key, when sent, must be valid."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from layers.models import CitizenReport, CitizenReporter
from spatial.auth import issue_token

pytestmark = pytest.mark.django_db
FORM = {"service_code": "public_order", "lat": "21.689", "long": "104.9035",
        "description": "Xe máy đỗ tràn lòng đường trước chợ", "email": "hoa@example.vn",
        "first_name": "Hoa", "last_name": "Phạm", "phone": "0977000111"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_anonymous_client_files_a_request_and_gets_its_id(client, fmt):
    answer = client.post(f"/open311/v2/requests.{fmt}", FORM)
    assert answer.status_code == 201, answer.content
    code = answer.json()[0]["service_request_id"] if fmt == "json" else \
        answer.content.decode().split("<service_request_id>")[1].split("<")[0]
    report = CitizenReport.objects.get(code=code)
    assert (report.category, report.channel, report.status) == ("public_order", "app", "received")
    reporter = CitizenReporter.objects.get(report=report)
    assert (reporter.full_name, reporter.email, reporter.phone) == ("Hoa Phạm", "hoa@example.vn",
                                                                    "0977000111")
    listed = client.get(f"/open311/v2/requests/{code}.json").json()[0]
    assert listed["status"] == "open" and "hoa@example.vn" not in str(listed)


@pytest.mark.parametrize(("change", "named"), [
    ({"service_code": "weather"}, "service_code"),
    ({"lat": "north"}, "lat"),
    ({"lat": "", "long": "", "address_string": "chợ Yên Bái"}, "lat"),
    ({"lat": "10.0", "long": "106.0"}, "lat"),  # outside the city
    ({"description": ""}, "description"),
])
def test_bad_input_is_a_400_in_the_spec_format_naming_the_parameter(client, change, named):
    answer = client.post("/open311/v2/requests.json", {**FORM, **change})
    assert answer.status_code == 400
    (error,) = answer.json()
    assert error["code"] == 400 and named in error["description"]


def test_an_api_key_must_be_valid_when_sent(client):
    assert client.post("/open311/v2/requests.json", {**FORM, "api_key": "tc_nope_nope"}).status_code == 403
    key = issue_token(get_user_model().objects.get(username="vanhanh"), "gateway")
    assert client.post("/open311/v2/requests.json", {**FORM, "api_key": key}).status_code == 201
