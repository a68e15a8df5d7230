"""A third-party Open311 GeoReport v2 client from the package registry (georeport), used unchanged
against the running server, in JSON and in XML: the service list, a service definition, a filtered
request list and one request, as the library reads them."""

from __future__ import annotations

import pytest
from georeport import GeoReport
from requests import HTTPError

from layers.models import CitizenReport
from layers.vocabularies import REPORT_CATEGORY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_georeport_library_reads_services_and_requests(server_url, output_format):
    client = GeoReport(f"{server_url}/open311/v2", output_format=output_format)

    assert [service["service_code"] for service in client.get_service_list()] == list(REPORT_CATEGORY.codes)
    assert client.get_service_definition("environment")["service_code"] == "environment"

    report = CitizenReport.objects.order_by("-received_at").first()
    one = client.get_service_request(report.code)
    assert (one["service_request_id"], one["service_code"]) == (report.code, report.category)

    rows = client.get_service_requests(service_code=report.category, status="open,closed")
    assert rows and {row["service_code"] for row in rows} == {report.category}

    with pytest.raises(HTTPError):
        client.get_service_request("PA-NO-SUCH")
