"""Open311 GeoReport v2 at /open311/v2/: discovery, the service list, service definitions, the format
suffixes, tokens, and errors in the specification's format (wiki.open311.org/GeoReport_v2)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from layers.registry import registry
from layers.vocabularies import REPORT_CATEGORY

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def xml_of(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>") or \
        response.content.lower().startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_error(response, status: int, *words: str) -> str:
    """The spec's error body, in the format the suffix asked for; returns the description."""
    assert response.status_code == status
    if response["Content-Type"].startswith("text/xml"):
        errors = xml_of(response)
        assert errors.tag == "errors"
        [error] = errors.findall("error")
        assert error.findtext("code") == str(status)
        description = error.findtext("description")
    else:
        [error] = json_of(response)
        assert set(error) == {"code", "description"}
        assert error["code"] == status
        description = error["description"]
    for word in words:
        assert word in description
    return description


# -- discovery ---------------------------------------------------------------------------------------

def test_discovery_json_names_the_georeport_v2_endpoint_and_its_two_formats(client):
    found = json_of(client.get(f"{BASE}/discovery.json"))
    assert set(found) >= {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_has_the_same_content(client):
    root = xml_of(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    [endpoint] = root.find("endpoints").findall("endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2/"
    assert [f.text for f in endpoint.find("formats").findall("format")] == ["text/xml", "application/json"]
    assert root.findtext("changeset") == client.get(f"{BASE}/discovery.json").json()["changeset"]


# -- GET services ------------------------------------------------------------------------------------

def test_services_json_lists_every_report_category_in_vietnamese_by_default(client):
    services = json_of(client.get(f"{BASE}/services.json"))
    assert [s["service_code"] for s in services] == list(REPORT_CATEGORY.codes)
    group = registry.get("citizen_reports").title_vi
    for service in services:
        term = REPORT_CATEGORY[service["service_code"]]
        assert service["service_name"] == term.vi
        assert service["metadata"] is False  # no category asks for attributes yet
        assert service["type"] == "realtime"
        assert service["group"] == group
        assert term.vi in service["keywords"] and term.en in service["keywords"]
        assert service["description"]


def test_services_speak_english_with_lang_en_or_accept_language(client):
    by_param = json_of(client.get(f"{BASE}/services.json", {"lang": "en"}))
    by_header = json_of(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,vi;q=0.5"))
    assert by_param == by_header
    assert [s["service_name"] for s in by_param] == [t.en for t in REPORT_CATEGORY.terms]
    assert {s["group"] for s in by_param} == {registry.get("citizen_reports").title_en}
    vietnamese_first = json_of(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="vi,en;q=0.8"))
    assert [s["service_name"] for s in vietnamese_first] == [t.vi for t in REPORT_CATEGORY.terms]
    assert "Accept-Language" in client.get(f"{BASE}/services.json")["Vary"]


def test_services_xml_has_one_service_element_per_category(client):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert [s.findtext("service_code") for s in services] == list(REPORT_CATEGORY.codes)
    assert [s.findtext("service_name") for s in services] == [t.vi for t in REPORT_CATEGORY.terms]
    assert {s.findtext("metadata") for s in services} == {"false"}
    assert {s.findtext("type") for s in services} == {"realtime"}


# -- GET services/{code} -----------------------------------------------------------------------------

def test_a_service_definition_names_its_code_and_an_empty_attribute_list(client):
    definition = json_of(client.get(f"{BASE}/services/environment.json"))
    assert definition == {"service_code": "environment", "attributes": []}
    root = xml_of(client.get(f"{BASE}/services/environment.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "environment"
    assert root.find("attributes") is not None and list(root.find("attributes")) == []


def test_an_unknown_service_code_is_404_in_the_requested_format(client):
    assert_error(client.get(f"{BASE}/services/potholes.json"), 404, "service_code", "potholes")
    assert_error(client.get(f"{BASE}/services/potholes.xml"), 404, "service_code", "potholes")


# -- format suffixes and methods ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["services.csv", "services", "requests.html", "requests/PA-1.rss",
                                  "discovery.yaml", "nothing-here.json"])
def test_an_unknown_resource_or_format_is_404_in_the_spec_error_format(client, path):
    assert_error(client.get(f"{BASE}/{path}"), 404)


def test_only_requests_take_a_post_the_rest_is_405_with_allow(client):
    response = client.post(f"{BASE}/services.json", {"service_code": "environment"})
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_head_answers_like_get_without_a_body(client):
    response = client.head(f"{BASE}/services.json")
    assert response.status_code == 200 and response.content == b""


# -- GET tokens/{token} ------------------------------------------------------------------------------

def test_a_token_is_never_issued_by_realtime_services_so_every_token_is_404(client):
    assert_error(client.get(f"{BASE}/tokens/12345.json"), 404, "token", "12345")
    assert_error(client.get(f"{BASE}/tokens/12345.xml"), 404, "token")


def test_error_descriptions_are_vietnamese_by_default_and_english_with_lang_en(client):
    vietnamese = assert_error(client.get(f"{BASE}/services/potholes.json"), 404, "service_code")
    english = assert_error(client.get(f"{BASE}/services/potholes.json", {"lang": "en"}), 404, "service_code")
    assert "không" in vietnamese
    assert english == "service_code 'potholes' is not a service of this endpoint"
