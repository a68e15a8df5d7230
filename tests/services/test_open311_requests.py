"""Open311 GeoReport v2 GET requests and GET requests/{id}: every parameter (service_request_id,
service_code, status, start_date/end_date, the bbox extension), the 90-day and 1,000-request limits,
each field of a request, JSON and XML, and the 400/404 answers (wiki.open311.org/GeoReport_v2).

Expected sets come from the ORM over the demo city, dates from DemoCity.current(), never the calendar.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Polygon
from django.utils import timezone
from django_fsm_log.models import StateLog

from democity.models import DemoCity
from layers.models import CitizenReport, ResponsibleUnit
from layers.registry import registry
from layers.vocabularies import REPORT_CATEGORY

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
          "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
          "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
CLOSED = registry.get("citizen_reports").workflow.closed


def w3c(moment) -> str:
    return moment.astimezone(LOCAL).isoformat(timespec="seconds")


def codes(client, fmt: str = "json", **params) -> list[str]:
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 200, response.content[:300]
    if fmt == "xml":
        root = ET.fromstring(response.content)
        assert root.tag == "service_requests"
        return [request.findtext("service_request_id") for request in root.findall("request")]
    return [request["service_request_id"] for request in json.loads(response.content)]


def newest_first(reports) -> list[str]:
    return list(reports.order_by("-received_at", "-pk").values_list("code", flat=True)[:1000])


def error(response, status: int, *words: str) -> str:
    assert response.status_code == status, response.content[:300]
    if response["Content-Type"].startswith("text/xml"):
        [item] = ET.fromstring(response.content).findall("error")
        code, description = int(item.findtext("code")), item.findtext("description")
    else:
        [item] = json.loads(response.content)
        code, description = item["code"], item["description"]
    assert code == status
    for word in words:
        assert word in description, description
    return description


@pytest.fixture
def window():
    """The demo's last 20 days: fewer than 1,000 reports."""
    return DemoCity.current().window(20)


# -- the date window ---------------------------------------------------------------------------------

def test_start_and_end_date_select_the_reports_requested_in_between_newest_first(client, window):
    found = codes(client, start_date=w3c(window.start), end_date=w3c(window.end))
    expected = newest_first(CitizenReport.objects.filter(received_at__gte=window.start,
                                                         received_at__lte=window.end))
    assert 300 < len(expected) < 1000
    assert found == expected
    assert codes(client, "xml", start_date=w3c(window.start), end_date=w3c(window.end)) == expected


def test_dates_in_utc_with_z_and_plain_days_mean_the_same_instants(client, window):
    expected = codes(client, start_date=w3c(window.start), end_date=w3c(window.end))
    utc = {"start_date": window.start.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "end_date": window.end.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert codes(client, **utc) == expected
    days = {"start_date": window.start.date().isoformat(), "end_date": window.end.date().isoformat()}
    assert codes(client, **days) == expected  # a day is its local midnight


def test_only_a_start_date_means_the_90_days_that_follow_it(client):
    start = DemoCity.current().window(30).start
    expected = newest_first(CitizenReport.objects.filter(received_at__gte=start,
                                                         received_at__lte=start + timedelta(days=90)))
    assert codes(client, start_date=w3c(start)) == expected


def test_only_an_end_date_means_the_90_days_before_it(client, window):
    expected = newest_first(CitizenReport.objects.filter(received_at__gte=window.start - timedelta(days=90),
                                                         received_at__lte=window.start))
    assert len(expected) == 1000  # the limit applies too
    assert codes(client, end_date=w3c(window.start)) == expected


def test_no_dates_mean_the_most_recent_90_days_and_at_most_1000_newest_first(client):
    before = timezone.now()
    found = codes(client)
    after = timezone.now()
    recent = CitizenReport.objects.filter(received_at__gte=before - timedelta(days=90),
                                          received_at__lte=after)
    assert found == newest_first(recent)
    assert len(found) == min(1000, recent.count())


def test_a_90_day_span_is_allowed_and_the_answer_stops_at_the_1000_newest(client):
    whole = DemoCity.current().window(90)
    found = codes(client, start_date=w3c(whole.start), end_date=w3c(whole.start + timedelta(days=90)))
    in_demo = CitizenReport.objects.filter(received_at__gte=whole.start, received_at__lte=whole.end)
    assert in_demo.count() == 3000
    assert found == newest_first(CitizenReport.objects.filter(received_at__gte=whole.start,
                                                              received_at__lte=whole.end))
    assert len(found) == 1000


def test_a_span_over_90_days_is_400_naming_both_dates(client, window):
    response = client.get(f"{BASE}/requests.json", {
        "start_date": w3c(window.end - timedelta(days=90, seconds=1)), "end_date": w3c(window.end)})
    error(response, 400, "start_date", "end_date", "90")


def test_an_end_before_the_start_is_400(client, window):
    error(client.get(f"{BASE}/requests.json", {"start_date": w3c(window.end), "end_date": w3c(window.start)}),
          400, "start_date", "end_date")


@pytest.mark.parametrize("value", [
    "yesterday", "2026-13-01", "2026-02-30T00:00:00+07:00", "2026-01-01T25:00:00Z", "1e9",
    "2026-01-01T00:00:00+25:00", "0000-01-01", "9999-12-31T23:59:59-12:00", "0001-01-01",
    "'; DROP TABLE layers_citizenreport; --", "2026-01-01T00:00:00+07:00" * 20])
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_a_date_that_is_not_a_w3c_datetime_is_400_naming_the_parameter(client, name, value):
    error(client.get(f"{BASE}/requests.json", {name: value}), 400, name)
    error(client.get(f"{BASE}/requests.xml", {name: value}), 400, name)


def test_empty_parameters_are_the_same_as_absent_ones(client):
    assert codes(client, start_date="", end_date="", status="", service_code="", service_request_id="",
                 bbox="") == codes(client)
    assert codes(client, service_request_id=" , ,") == codes(client)  # no id in it: as if absent
    assert codes(client, jurisdiction_id="toancanh.example") == codes(client)  # one jurisdiction: ignored


# -- service_code, status ----------------------------------------------------------------------------

def test_service_code_selects_one_or_several_categories(client, window):
    dates = {"start_date": w3c(window.start), "end_date": w3c(window.end)}
    in_window = CitizenReport.objects.filter(received_at__gte=window.start, received_at__lte=window.end)
    assert codes(client, service_code="land", **dates) == newest_first(in_window.filter(category="land"))
    both = codes(client, service_code="land,security", **dates)
    assert both == newest_first(in_window.filter(category__in=["land", "security"]))
    assert both and set(CitizenReport.objects.filter(code__in=both).values_list("category", flat=True)) == {
        "land", "security"}


def test_an_unknown_service_code_is_400_naming_it(client):
    error(client.get(f"{BASE}/requests.json", {"service_code": "land,potholes"}), 400,
          "service_code", "potholes")


def test_status_open_and_closed_follow_the_workflow_closed_statuses(client, window):
    dates = {"start_date": w3c(window.start), "end_date": w3c(window.end)}
    in_window = CitizenReport.objects.filter(received_at__gte=window.start, received_at__lte=window.end)
    assert CLOSED == ("resolved", "rejected")
    closed = codes(client, status="closed", **dates)
    opened = codes(client, status="open", **dates)
    assert closed == newest_first(in_window.filter(status__in=CLOSED))
    assert opened == newest_first(in_window.exclude(status__in=CLOSED))
    assert closed and opened
    assert codes(client, status="open,closed", **dates) == codes(client, **dates)


def test_an_unknown_status_is_400_naming_it(client):
    error(client.get(f"{BASE}/requests.json", {"status": "open,pending"}), 400, "status", "pending")


# -- service_request_id ------------------------------------------------------------------------------

def test_service_request_ids_override_every_other_argument(client):
    old_closed, new_open = (CitizenReport.objects.filter(status__in=CLOSED).order_by("received_at").first(),
                            CitizenReport.objects.exclude(status__in=CLOSED).order_by("-received_at").first())
    found = codes(client, service_request_id=f"{old_closed.code},{new_open.code}", status="open",
                  service_code="nothing-checked", start_date="2001-01-01", end_date="2001-01-02")
    assert found == [new_open.code, old_closed.code]


@pytest.mark.parametrize("ids", ["PA-00000000-000", "x" * 500, "'; DROP TABLE x; --", "%00", "a\x00b", "١٢٣"])
def test_unknown_or_malformed_ids_find_nothing_and_never_fail(client, ids):
    assert codes(client, service_request_id=ids) == []


def test_more_than_1000_ids_is_400(client):
    ids = ",".join(f"PA-{n}" for n in range(1001))
    error(client.get(f"{BASE}/requests.json", {"service_request_id": ids}), 400, "service_request_id", "1000")


# -- bbox (an extension: minimum longitude, minimum latitude, maximum longitude, maximum latitude) -----

def test_bbox_selects_the_reports_inside_it(client, window):
    points = list(CitizenReport.objects.order_by("pk").values_list("geom", flat=True)[:50])
    xs, ys = sorted(p.x for p in points), sorted(p.y for p in points)
    box = (xs[10], ys[10], xs[40], ys[40])
    dates = {"start_date": w3c(window.start), "end_date": w3c(window.end)}
    expected = newest_first(CitizenReport.objects.filter(
        received_at__gte=window.start, received_at__lte=window.end, geom__intersects=Polygon.from_bbox(box)))
    assert expected
    assert codes(client, bbox=",".join(map(str, box)), **dates) == expected


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "106.8,10.9,106.7,10.7", "106,91,107,92",
                                  "200,10,201,11", "1,2,3,4,5", "nan,1,2,3", "inf,1,2,3"])
def test_a_malformed_bbox_is_400(client, bbox):
    error(client.get(f"{BASE}/requests.json", {"bbox": bbox}), 400, "bbox")


# -- one request, its fields -------------------------------------------------------------------------

def one(client, code: str, fmt: str = "json", **params) -> dict:
    response = client.get(f"{BASE}/requests/{code}.{fmt}", params)
    assert response.status_code == 200, response.content[:300]
    if fmt == "xml":
        [request] = ET.fromstring(response.content).findall("request")
        assert [child.tag for child in request] == FIELDS
        return {child.tag: child.text for child in request}
    [request] = json.loads(response.content)
    assert list(request) == FIELDS
    return request


def test_a_request_has_every_field_of_the_spec_from_the_report(client):
    report = CitizenReport.objects.filter(status="resolved").select_related("ward").order_by("pk").first()
    found = one(client, report.code)
    assert found["service_request_id"] == report.code
    assert found["status"] == "closed"
    assert found["service_code"] == report.category
    assert found["service_name"] == REPORT_CATEGORY[report.category].vi
    assert found["description"] == report.title
    assert found["agency_responsible"] == (report.unit.name if report.unit else report.responsible_unit)
    assert found["requested_datetime"] == w3c(report.received_at)
    assert found["expected_datetime"] == w3c(report.due_at)
    assert found["updated_datetime"] == w3c(report.resolved_at)  # the day it was closed
    assert (found["lat"], found["long"]) == (pytest.approx(report.geom.y), pytest.approx(report.geom.x))
    assert report.ward.name in found["address"]
    assert found["service_notice"]
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(found[name]), found[name]
    english = one(client, report.code, lang="en")
    assert english["service_name"] == REPORT_CATEGORY[report.category].en


def test_the_xml_request_carries_the_same_values(client):
    report = CitizenReport.objects.filter(status="in_progress").order_by("pk").first()
    as_json, as_xml = one(client, report.code), one(client, report.code, "xml")
    for name in FIELDS:
        value = as_json[name]
        expected = None if value in (None, "") else str(value)
        assert as_xml[name] == expected, name


def test_status_notes_are_the_public_text_of_the_move_that_led_to_the_current_status(client):
    report = CitizenReport.objects.filter(status="received").order_by("pk").first()
    unit = ResponsibleUnit.objects.filter(active=True).order_by("code").first()
    assert one(client, report.code)["status_notes"] is None
    report.assign(unit=unit)
    report.start()
    report.ask_citizen("Xin gửi thêm ảnh chụp vị trí.")
    report.save()
    waiting = one(client, report.code)
    last = StateLog.objects.for_(report).order_by("-timestamp", "-pk").first()
    assert (waiting["status"], waiting["status_notes"]) == ("open", "Xin gửi thêm ảnh chụp vị trí.")
    assert waiting["agency_responsible"] == unit.name
    assert waiting["updated_datetime"] == w3c(last.timestamp)
    report.citizen_replied()
    report.resolve("Đã thu gom rác tại vị trí phản ánh.")
    report.save()
    resolved = one(client, report.code)
    assert (resolved["status"], resolved["status_notes"]) == ("closed", "Đã thu gom rác tại vị trí phản ánh.")


def test_an_unknown_request_is_404_in_the_requested_format(client):
    error(client.get(f"{BASE}/requests/PA-00000000-000.json"), 404, "PA-00000000-000")
    error(client.get(f"{BASE}/requests/PA-00000000-000.xml"), 404, "service_request_id")
    error(client.get(f"{BASE}/requests/{'x' * 300}.json"), 404)
    error(client.get(f"{BASE}/requests/PA%00.json"), 404)


def test_a_list_of_1000_requests_is_one_query(client, django_assert_num_queries):
    whole = DemoCity.current().window(90)
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}/requests.json", {"start_date": w3c(whole.start),
                                                         "end_date": w3c(whole.start + timedelta(days=90))})
    assert len(json.loads(response.content)) == 1000
    with django_assert_num_queries(1):
        client.get(f"{BASE}/requests.xml", {"start_date": w3c(whole.start)})


@pytest.mark.parametrize("path", ["requests/PA%00%1b.xml", "requests.xml?service_code=a%00b%07",
                                  "services/x%0c.xml", "tokens/%00.xml"])
def test_control_characters_echoed_in_an_error_still_make_well_formed_xml(client, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code in (400, 404)
    [item] = ET.fromstring(response.content).findall("error")  # ElementTree refuses a NUL or ESC
    assert item.findtext("code") == str(response.status_code)
