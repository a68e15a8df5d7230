"""CAP 1.2: every alert's document validates against the OASIS schema shipped in tests/alerts (no network),
Vietnamese info first and English second, its area a circle or the ward's polygon, a cleared alert a
Cancel referencing it; the Atom feed carries the alerts in force (anonymous readers: public rules only)
and the RSS feed links them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import MultiPolygon
from lxml import etree

from alerts.models import Alert, AlertRule
from layers.models import AdminUnit

pytestmark = pytest.mark.django_db
XSD = Path(__file__).resolve().parents[1] / "alerts" / "CAP-v1.2.xsd"
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2", "atom": "http://www.w3.org/2005/Atom"}
T0 = datetime(2031, 3, 3, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture
def make_alert():
    Alert.objects.all().delete()  # the demo's, in this test's transaction
    rules = {public: AlertRule(code=f"cap-{public}", name="Cụm tai nạn", name_en="Accident cluster",
                               kind="count", layer="incidents", min_count=5, radius_m=500, public=public,
                               category="Transport", instruction="Đi đường khác",
                               instruction_en="Take another road")
             for public in (True, False)}
    for rule in rules.values():
        rule.save()
    ward = AdminUnit.objects.filter(level="commune", valid_to__isnull=True).order_by("code").first()

    def make(code: str, public: bool = True, **fields) -> Alert:
        values = {"code": code, "rule": rules[public], "rule_version": 1, "kind": "count", "subject": code,
                  "title": "Cụm tai nạn: 5 sự kiện tại " + ward.name,
                  "title_en": "Accident cluster: 5 events", "severity": "Moderate", "urgency": "Expected",
                  "certainty": "Observed", "category": "Transport",
                  "opened_at": T0, "value": 5.0, "source_layer": "incidents", "source_ids": [1, 2, 3, 4, 5],
                  "ward": ward, "geom": ward.geom.point_on_surface, "radius_m": 320.0, **fields}
        return Alert.objects.create(**values)

    return make


def test_an_alert_document_validates_with_vietnamese_then_english(client, as_user, make_alert, schema):
    alert = make_alert("CB-20310303-000001", public=False)
    answer = client.get(f"/api/alerts/{alert.pk}.cap", **as_user("vanhanh"))
    assert answer["Content-Type"].startswith("application/cap+xml")
    document = etree.fromstring(answer.content)
    schema.assertValid(document)
    assert document.findtext("cap:identifier", namespaces=NS) == alert.code
    assert document.findtext("cap:sent", namespaces=NS) == "2031-03-03T08:00:00+07:00"
    assert document.findtext("cap:msgType", namespaces=NS) == "Alert"
    assert document.findtext("cap:scope", namespaces=NS) == "Restricted"
    assert document.findtext("cap:restriction", namespaces=NS)
    infos = document.findall("cap:info", NS)
    assert [info.findtext("cap:language", namespaces=NS) for info in infos] == ["vi-VN", "en-US"]
    assert [info.findtext("cap:headline", namespaces=NS) for info in infos] == [alert.title, alert.title_en]
    assert [info.findtext("cap:instruction", namespaces=NS) for info in infos] == ["Đi đường khác",
                                                                                   "Take another road"]
    circle = infos[0].findtext("cap:area/cap:circle", namespaces=NS)
    assert circle == f"{alert.geom.y:.6f},{alert.geom.x:.6f} 0.320"


def test_a_ward_alert_has_the_ward_as_its_polygon(client, as_user, make_alert, schema):
    ward = AdminUnit.objects.filter(level="commune", valid_to__isnull=True).order_by("code").first()
    area = ward.geom.simplify(0.0002)
    area = area if area.geom_type == "MultiPolygon" else MultiPolygon(area)
    alert = make_alert("CB-20310303-000002", area=area, radius_m=None)
    document = etree.fromstring(client.get(f"/api/alerts/{alert.pk}.cap").content)
    schema.assertValid(document)
    polygons = document.findall("cap:info/cap:area/cap:polygon", NS)
    assert len(polygons) == 2 * len(alert.area)  # one per part, in each language
    points = polygons[0].text.split(" ")
    assert len(points) >= 4 and points[0] == points[-1]
    assert document.find("cap:info/cap:area/cap:circle", NS) is None


def test_a_cleared_alert_is_a_cancel_referencing_it(client, make_alert, schema):
    alert = make_alert("CB-20310303-000003", status="cleared", cleared_at=T0 + timedelta(hours=2))
    document = etree.fromstring(client.get(f"/api/alerts/{alert.pk}.cap").content)
    schema.assertValid(document)
    assert document.findtext("cap:msgType", namespaces=NS) == "Cancel"
    assert document.findtext("cap:references", namespaces=NS) == \
        f"ioc@toancanh.vn,{alert.code},2031-03-03T08:00:00+07:00"
    assert document.findtext("cap:info/cap:urgency", namespaces=NS) == "Past"


def test_anyone_reads_a_public_rules_alert_not_a_restricted_one(client, as_user, make_alert):
    public, restricted = make_alert("CB-P", public=True), make_alert("CB-R", public=False)
    assert client.get(f"/api/alerts/{public.pk}.cap").status_code == 200
    assert client.get(f"/api/alerts/{restricted.pk}.cap").status_code == 401
    assert client.get(f"/api/alerts/{restricted.pk}.cap", **as_user("gis")).status_code == 403


def test_the_atom_feed_carries_valid_cap_documents(client, as_user, make_alert, schema):
    public, restricted = make_alert("CB-P", public=True), make_alert("CB-R", public=False)
    make_alert("CB-C", status="cleared", cleared_at=T0)
    answer = client.get("/api/alerts/cap.atom", **as_user("vanhanh"))
    assert answer["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(answer.content)
    entries = feed.findall("atom:entry", NS)
    assert [e.findtext("atom:title", namespaces=NS) for e in entries] == [restricted.title, public.title]
    for entry in entries:
        schema.assertValid(etree.ElementTree(entry.find("atom:content/cap:alert", NS)))
        assert entry.find("atom:link", NS).get("type") == "application/cap+xml"
    anonymous = etree.fromstring(client.get("/api/alerts/cap.atom").content)
    assert [e.find("atom:content/cap:alert/cap:identifier", NS).text
            for e in anonymous.findall("atom:entry", NS)] == ["CB-P"]


def test_the_rss_feed_links_each_cap_document(client, make_alert):
    public = make_alert("CB-P", public=True)
    channel = etree.fromstring(client.get("/api/alerts/cap.rss").content).find("channel")
    assert [item.findtext("link") for item in channel.findall("item")] == [
        f"http://testserver/api/alerts/{public.pk}.cap"]
