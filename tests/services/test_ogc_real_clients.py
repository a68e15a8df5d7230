"""GIS desktop clients read the OGC API with no plugin: GDAL's OAPIF driver and OWSLib."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, timedelta

import pytest
import requests
from django.db import connection
from owslib.ogcapi.features import Features
from owslib.util import Authentication

from democity.models import DemoCity
from layers.models import Incident, Parcel
from layers.registry import registry

pytestmark = pytest.mark.django_db
PUBLIC = [layer.id for layer in registry if layer.public]


def ogrinfo(*args: str, env: dict | None = None) -> str:
    result = subprocess.run(["ogrinfo", "-ro", *args], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout


def feature_count(output: str) -> int:
    return int(re.search(r"Feature Count: (\d+)", output).group(1))


def test_ogrinfo_lists_every_public_collection_and_no_restricted_one(server_url):
    listed = re.findall(r"^\d+: (\w+) \(title", ogrinfo(f"OAPIF:{server_url}/ogc"), re.MULTILINE)
    assert listed == PUBLIC
    assert "detections" not in listed


def test_ogrinfo_feature_count_of_parcels_equals_the_database(server_url):
    assert feature_count(ogrinfo("-so", f"OAPIF:{server_url}/ogc", "parcels")) == Parcel.objects.count()


def test_ogrinfo_bbox_query_counts_exactly_what_sql_counts(server_url):
    minx, miny, maxx, maxy = 104.885, 21.695, 104.905, 21.715
    output = ogrinfo("-so", "-spat", str(minx), str(miny), str(maxx), str(maxy),
                     f"OAPIF:{server_url}/ogc", "parcels")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM layers_parcel WHERE ST_Intersects(geom, "
                       "ST_MakeEnvelope(%s, %s, %s, %s, 4326))", [minx, miny, maxx, maxy])
        expected = cursor.fetchone()[0]
    assert 0 < feature_count(output) == expected


def test_ogrinfo_datetime_query_counts_exactly_what_sql_counts(server_url):
    # GDAL 3.6 rewrites a literal with an offset as the same clock time in Z: give it UTC
    since = (DemoCity.current().window().end - timedelta(days=14)).astimezone(UTC)  # the demo's last 14 days
    output = ogrinfo("-so", "-where", f"reported_at >= '{since.strftime('%Y-%m-%dT%H:%M:%SZ')}'",
                     f"OAPIF:{server_url}/ogc", "incidents")
    expected = Incident.objects.filter(reported_at__gte=since).count()
    assert 0 < feature_count(output) == expected


def test_signed_in_gdal_sees_the_restricted_collections_too(server_url, operator_token):
    basic = ogrinfo(f"OAPIF:{server_url}/ogc", env={"GDAL_HTTP_AUTH": "BASIC",
                                                    "GDAL_HTTP_USERPWD": "vanhanh:toancanh-demo"})
    assert "detections (title" in basic
    token = ogrinfo(f"OAPIF:{server_url}/ogc",
                    env={"GDAL_HTTP_HEADERS": f"Authorization: Bearer {operator_token}"})
    assert "detections (title" in token


def test_owslib_reads_collections_and_items_with_a_cql2_filter(server_url):
    api = Features(f"{server_url}/ogc")
    ids = [c["id"] for c in api.collections()["collections"]]
    assert ids == PUBLIC
    query = {"filter": "land_use = 'TMD' AND area_m2 > 300", "filter-lang": "cql2-text"}
    page = api.collection_items("parcels", limit=50, **query)
    expected = Parcel.objects.filter(land_use="TMD", area_m2__gt=300).count()
    assert api.collection_items("parcels", resultType="hits", **query)["numberMatched"] == expected
    assert len(page["features"]) == min(50, expected)
    assert {f["properties"]["land_use"] for f in page["features"]} == {"TMD"}


def test_owslib_cql2_json_query_by_post(server_url):
    api = Features(f"{server_url}/ogc")
    page = api.collection_items("schools", cql={"op": "=", "args": [{"property": "school_level"}, "thpt"]})
    assert {f["properties"]["school_level"] for f in page["features"]} == {"thpt"}
    assert len(page["features"]) == registry.get("schools").queryset().filter(school_level="thpt").count()


@pytest.mark.parametrize(("layer", "limit"), [("incidents", 300), ("parcels", 5000)])
def test_paging_through_every_page_gives_each_id_once(server_url, layer, limit):
    url, seen, pages = f"{server_url}/ogc/collections/{layer}/items?limit={limit}", [], 0
    while url:
        page = requests.get(url, timeout=60).json()
        seen.extend(feature["id"] for feature in page["features"])
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
        pages += 1
    assert len(seen) == len(set(seen))
    assert set(seen) == set(registry.get(layer).queryset().values_list("pk", flat=True))
    assert pages >= 2


def test_owslib_signs_in_with_basic_auth(server_url):
    api = Features(f"{server_url}/ogc", auth=Authentication(username="lanhdao", password="toancanh-demo"))
    assert "detections" in [c["id"] for c in api.collections()["collections"]]
    page = api.collection_items("detections", limit=10)
    assert len(page["features"]) == 10
