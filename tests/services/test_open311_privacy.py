"""Open311 GET never shows who sent a report nor its restricted description: every field of every one
of the 3,000 demo requests is read, in JSON and in XML, and compared with the CitizenReporter rows."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from layers.models import CitizenReport, CitizenReporter

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
LONG_NUMBER = re.compile(r"(?<![\d.])\+?\d[\d .]{7,}\d(?![\d.])")  # a phone or an ID number


def every_request(client, fmt: str) -> dict[str, dict[str, str]]:
    """Every report through service_request_id, 1,000 at a time: {code: {field: text}}."""
    codes = list(CitizenReport.objects.order_by("pk").values_list("code", flat=True))
    found: dict[str, dict[str, str]] = {}
    for first in range(0, len(codes), 1000):
        batch = ",".join(codes[first:first + 1000])
        response = client.get(f"{BASE}/requests.{fmt}", {"service_request_id": batch})
        assert response.status_code == 200
        if fmt == "xml":
            rows = [{child.tag: child.text or "" for child in request}
                    for request in ET.fromstring(response.content).findall("request")]
        else:
            rows = [{name: "" if value is None else str(value) for name, value in request.items()}
                    for request in json.loads(response.content)]
        found.update({row["service_request_id"]: row for row in rows})
    assert len(found) == len(codes) == 3000
    return found


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_field_of_any_request_shows_the_reporter_or_the_restricted_description(client, fmt):
    requests = every_request(client, fmt)
    reporters = list(CitizenReporter.objects.values_list("report__code", "full_name", "phone", "email",
                                                         "id_number"))
    assert len(reporters) > 1000
    values = {value for row in requests.values() for value in row.values() if value}
    for code, *personal in reporters:
        own = " | ".join(requests[code].values())
        for value in filter(None, personal):
            assert value not in own, (code, value)  # not even inside another field of its own request
            assert value not in values, (code, value)  # nor as any field of any request
    descriptions = dict(CitizenReport.objects.values_list("code", "description"))
    for code, row in requests.items():
        assert descriptions[code] not in " | ".join(row.values()), code
        assert row["description"] != descriptions[code]
    text = "\n".join(" | ".join(row.values()) for row in requests.values())
    assert EMAIL.findall(text) == []
    assert [n for n in LONG_NUMBER.findall(text) if "." not in n] == []  # coordinates have a point
