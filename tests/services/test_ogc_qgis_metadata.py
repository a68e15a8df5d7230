"""What QGIS reads from the OGC API besides features: the data's extents, the page size, counts, exact
times, the styles (SLD, QML) and the generated project."""

from __future__ import annotations

import base64
import io
import json
import math
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Point
from django.db.models import Max, Min

from layers.models import Incident, Parcel
from layers.registry import registry
from tiles import extents, invalidation

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def basic(username: str) -> dict:
    token = base64.b64encode(f"{username}:toancanh-demo".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture(autouse=True)
def fresh_extents():
    extents.forget()  # another test's data may be kept in this process
    yield
    extents.forget()


def test_collection_extent_is_the_datas_box_not_vietnams(client):
    body = client.get("/ogc/collections/parcels").json()
    exact = Parcel.objects.aggregate(e=Extent("geom"))["e"]
    assert body["extent"]["spatial"]["bbox"][0] == pytest.approx(list(exact), abs=1e-9)


def test_temporal_extent_of_incidents_is_their_first_and_last_report(client):
    found = Incident.objects.aggregate(first=Min("reported_at"), last=Max("reported_at"))
    interval = client.get("/ogc/collections/incidents").json()["extent"]["temporal"]["interval"]
    assert interval == [[found[end].astimezone(LOCAL).isoformat() for end in ("first", "last")]]
    assert "temporal" not in client.get("/ogc/collections/roads").json()["extent"]  # no time field


def test_a_large_layers_extent_comes_from_postgresql_statistics_within_a_metre(client):
    detections = registry.get("detections")
    estimated = extents.compute(detections)
    exact = detections.queryset().aggregate(e=Extent("geom"))["e"]
    assert estimated.estimated
    assert estimated.bbox == pytest.approx(exact, abs=1e-5)  # PostGIS rounds its float4 boxes outwards
    assert estimated.bbox[0] <= exact[0] and estimated.bbox[3] >= exact[3]


def test_a_write_notice_grows_the_extent_at_once(client):
    before = client.get("/ogc/collections/incidents").json()["extent"]["spatial"]["bbox"][0]
    far = Point(before[2] + 0.05, before[3] + 0.05, srid=4326)
    Incident.objects.create(code="EXTENT-1", category="theft", severity="low", status="new", title="x",
                            description="", source="hotline", reported_at=datetime.now(LOCAL), geom=far)
    invalidation.apply(json.dumps({"table": "layers_incident", "boxes": [[far.x, far.y, far.x, far.y]]}))
    after = client.get("/ogc/collections/incidents").json()["extent"]["spatial"]["bbox"][0]
    assert after[:2] == before[:2] and after[2:] == pytest.approx([far.x, far.y])


def test_openapi_states_the_page_size_where_qgis_reads_it(client):
    limit = client.get("/ogc/openapi", {"f": "json"}).json()["components"]["parameters"]["limit"]
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 100}


def test_first_pages_count_exactly_when_cheap_and_say_when_estimated(client):
    parcels = client.get("/ogc/collections/parcels/items", {"limit": 1}).json()
    assert parcels["numberMatched"] == Parcel.objects.count() and "numberMatchedEstimated" not in parcels
    detections = client.get("/ogc/collections/detections/items", {"limit": 1}, **basic("vanhanh")).json()
    real = registry.get("detections").queryset().count()
    assert detections["numberMatchedEstimated"] is True
    assert abs(detections["numberMatched"] - real) <= real * 0.1
    hits = client.get("/ogc/collections/detections/items", {"resultType": "hits"}, **basic("vanhanh")).json()
    assert hits["numberMatched"] == real and "numberMatchedEstimated" not in hits


def test_sub_second_times_are_kept(client):
    moment = datetime(2026, 9, 10, 8, 30, 15, 250_000, tzinfo=LOCAL)
    incident = Incident.objects.create(code="MS-1", category="theft", severity="low", status="new", title="x",
                                       description="", source="hotline", reported_at=moment,
                                       geom=Point(104.9, 21.7, srid=4326))
    page = client.get("/ogc/collections/incidents/items", {"code": "MS-1"}).json()
    assert page["features"][0]["properties"]["reported_at"] == "2026-09-10T08:30:15.25+07:00"
    whole = client.get(f"/ogc/collections/incidents/items/{incident.pk}").json()
    Incident.objects.filter(pk=incident.pk).update(reported_at=moment - timedelta(microseconds=250_000))
    assert whole["properties"]["reported_at"] == "2026-09-10T08:30:15.25+07:00"
    again = client.get(f"/ogc/collections/incidents/items/{incident.pk}").json()
    assert again["properties"]["reported_at"] == "2026-09-10T08:30:15+07:00"


SLD = "{http://www.opengis.net/sld}"


def test_styles_list_sld_and_qml_with_the_registrys_categories(client):
    listed = client.get("/ogc/collections/parcels/styles").json()["styles"]
    assert [link["type"] for link in listed[0]["links"]] == ["application/vnd.ogc.sld+xml;version=1.0",
                                                             "application/vnd.qgis.qml"]
    terms = registry.get("parcels").style.vocabulary.terms
    sld = ET.fromstring(client.get("/ogc/collections/parcels/styles/default", {"f": "sld10"}).content)
    rules = sld.findall(f".//{SLD}Rule")
    assert [rule.find(f"{SLD}Name").text for rule in rules] == [term.code for term in terms]
    assert rules[0].find(f".//{SLD}CssParameter[@name='fill']").text == terms[0].color
    assert float(rules[0].find(f"{SLD}MaxScaleDenominator").text) > 559_082_264 / 2**14  # drawn from z14
    qml = ET.fromstring(client.get("/ogc/collections/parcels/styles/default", {"f": "qml"}).content)
    assert qml.find("renderer-v2").get("attr") == "land_use"
    assert len(qml.findall("renderer-v2/categories/category")) == len(terms)
    assert client.get("/ogc/collections/detections/styles").status_code == 401
    assert client.get("/ogc/collections/parcels/styles/other").status_code == 404
    assert client.get("/ogc/collections/parcels/styles/default", {"f": "mapbox"}).status_code == 400


def _project(client, **headers) -> ET.Element:
    response = client.get("/ogc/qgis/toancanh.qgz", **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return ET.fromstring(archive.read("toancanh.qgs"))


def test_the_project_holds_the_viewers_layers_and_signs_in_only_where_it_matters(client):
    anonymous = _project(client)
    public = [layer.id for layer in registry if layer.public]
    assert sorted(e.text for e in anonymous.findall("projectlayers/maplayer/id")) == sorted(public)
    assert "authcfg" not in ET.tostring(anonymous, encoding="unicode")
    operator = _project(client, **basic("vanhanh"))
    sources = {layer.find("id").text: layer.find("datasource").text
               for layer in operator.findall("projectlayers/maplayer")}
    assert sources["detections"].startswith("authcfg=toancnh ") and not sources["roads"].startswith("authcfg")
    assert "url='http://testserver/ogc'" in sources["roads"]
    xmin, ymin, xmax, ymax = (float(operator.find(f"mapcanvas/extent/{c}").text) for c in ("xmin", "ymin",
                                                                                             "xmax", "ymax"))
    lon = math.degrees(((xmin + xmax) / 2) / 6_378_137.0)
    assert 104.8 < lon < 105.0  # opens on the city, not on Vietnam
    assert "toancnh" in operator.find("projectMetadata/abstract").text
