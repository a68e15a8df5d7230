"""The OGC API answers exactly, protects restricted data on every path, and refuses bad input with 4xx."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from pyproj import Geod, Transformer

from democity.models import DemoCity
from layers.models import Camera, CitizenReport, Incident, Parcel
from spatial import vn2000

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/{}/items"


def basic(username: str) -> dict:
    token = base64.b64encode(f"{username}:toancanh-demo".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def items(client, layer: str, **params):
    response = client.get(ITEMS.format(layer), params, **params.pop("_headers", {}))
    assert response.status_code == 200, response.content[:400]
    return response.json()


def test_landing_page_for_people_lists_collections_with_connection_strings(client):
    html = client.get("/ogc", {"f": "html"}).content.decode()
    assert "ogrinfo OAPIF:http://testserver/ogc parcels" in html
    assert "Thêm lớp WFS / OGC API – Features" in html and "Add WFS / OGC API – Features Layer" in html
    assert "unpkg" not in html and "cdn" not in html
    assert "detections" not in html


def test_conformance_declares_features_filter_tiles_and_editing(client):
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in classes
    assert any("ogcapi-tiles-1" in c for c in classes)
    assert "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete" in classes


def test_collection_describes_titles_in_both_languages_and_its_crs(client):
    collection = client.get("/ogc/collections/parcels", {"lang": "en"}).json()
    assert collection["id"] == "parcels"
    assert "http://www.opengis.net/def/crs/EPSG/0/9208" in collection["crs"]
    vi = client.get("/ogc/collections/parcels", {"lang": "vi"}).json()
    assert vi["title"] == "Thửa đất"


def test_datetime_window_returns_exactly_the_sql_count(client):
    last = DemoCity.current().window(10)  # the demo's last 10 days, whatever the date
    start, end = last.start, last.end
    page = items(client, "incidents", datetime=f"{start.isoformat()}/{end.isoformat()}", limit=5)
    assert page["numberMatched"] == Incident.objects.filter(reported_at__range=(start, end)).count() > 0


def test_property_filter_and_sortby(client):
    page = items(client, "parcels", land_use="TMD", sortby="-area_m2", limit=20)
    areas = [f["properties"]["area_m2"] for f in page["features"]]
    assert areas == sorted(areas, reverse=True)
    assert page["numberMatched"] == Parcel.objects.filter(land_use="TMD").count()  # counting is cheap
    hits = items(client, "parcels", land_use="TMD", resultType="hits")
    assert hits["numberMatched"] == Parcel.objects.filter(land_use="TMD").count()


def test_times_are_given_in_local_time(client):
    feature = items(client, "incidents", limit=1)["features"][0]
    assert feature["properties"]["reported_at"].endswith("+07:00")


def test_crs_parameter_reprojects_and_keeps_the_crs_axis_order(client):
    parcel = Parcel.objects.order_by("pk").first()
    lon, lat = parcel.geom.coords[0][0][0]
    mercator = client.get(ITEMS.format("parcels") + f"/{parcel.pk}",
                          {"crs": "http://www.opengis.net/def/crs/EPSG/0/3857"})
    assert mercator["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/3857>"
    x, y = mercator.json()["geometry"]["coordinates"][0][0][0]
    assert (x, y) == pytest.approx(Transformer.from_crs(4326, 3857, always_xy=True).transform(lon, lat),
                                   abs=0.01)
    latlon = client.get(ITEMS.format("parcels") + f"/{parcel.pk}",
                        {"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}).json()
    assert latlon["geometry"]["coordinates"][0][0][0] == pytest.approx([lat, lon], abs=1e-7)


def test_vn2000_output_is_within_5_cm_of_the_published_transformation(client):
    parcel = Parcel.objects.order_by("pk").first()
    lon, lat = parcel.geom.coords[0][0][0]
    feature = client.get(ITEMS.format("parcels") + f"/{parcel.pk}",
                         {"crs": "http://www.opengis.net/def/crs/EPSG/0/9208"}).json()
    easting, northing = feature["geometry"]["coordinates"][0][0][0]
    back = Transformer.from_crs(vn2000.tm3_crs("15"), 4326, always_xy=True).transform(easting, northing)
    _, _, distance = Geod(ellps="WGS84").inv(lon, lat, *back)
    assert 400_000 < easting < 600_000 and abs(distance) < 0.05


def test_bbox_in_web_mercator_selects_the_same_features(client):
    to_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    box = (104.89, 21.70, 104.90, 21.71)
    minx, miny = to_3857.transform(box[0], box[1])
    maxx, maxy = to_3857.transform(box[2], box[3])
    plain = items(client, "parcels", bbox=",".join(map(str, box)), limit=5000)
    mercator = items(client, "parcels", bbox=f"{minx},{miny},{maxx},{maxy}",
                     **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "limit": 5000})
    assert {f["id"] for f in plain["features"]} == {f["id"] for f in mercator["features"]} != set()


def test_restricted_collection_needs_sign_in_then_the_right_role(client):
    anonymous = client.get(ITEMS.format("detections"))
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Basic")
    assert client.get(ITEMS.format("detections"), **basic("gis")).status_code == 403
    assert client.get(ITEMS.format("detections"), {"limit": 3}, **basic("vanhanh")).status_code == 200
    assert client.get("/ogc/collections/detections/items/1", **basic("gis")).status_code == 403


def test_wrong_credentials_get_401_not_a_login_page(client):
    response = client.get(ITEMS.format("parcels"), HTTP_AUTHORIZATION="Basic " + base64.b64encode(
        b"vanhanh:wrong").decode())
    assert response.status_code == 401
    assert response.json()["description"] == "wrong username or password"


def test_restricted_fields_appear_only_for_the_right_roles(client):
    camera = Camera.objects.order_by("pk").first()
    url = ITEMS.format("cameras") + f"/{camera.pk}"
    assert "stream_url" not in client.get(url).json()["properties"]
    assert client.get(url, **basic("vanhanh")).json()["properties"]["stream_url"] == camera.stream_url
    report = CitizenReport.objects.order_by("pk").first()
    public = client.get(ITEMS.format("citizen_reports") + f"/{report.pk}").json()["properties"]
    assert "description" not in public and public["title"] == report.title


@pytest.mark.parametrize("params", [
    {"filter": "stream_url LIKE 'rtsp%'"},
    {"sortby": "stream_url"},
    {"properties": "stream_url"},
    {"stream_url": "rtsp://x"},
])
def test_hidden_fields_cannot_be_probed_through_filters_sorting_or_properties(client, params):
    response = client.get(ITEMS.format("cameras"), params)
    assert response.status_code == 400, response.content


def test_personal_data_never_appears_in_public_responses(client):
    from layers.models import CitizenReporter, ParcelOwner

    owner = ParcelOwner.objects.exclude(phone="").first()
    reporter = CitizenReporter.objects.exclude(phone="").first()
    for layer in ("parcels", "citizen_reports"):
        body = client.get(ITEMS.format(layer), {"limit": 10000}).content.decode()
        assert owner.phone not in body and owner.id_number not in body
        assert reporter.phone not in body and reporter.full_name not in body


def test_queryables_list_only_readable_fields(client):
    public = client.get("/ogc/collections/cameras/queryables", {"f": "json"}).json()["properties"]
    assert "stream_url" not in public and "bearing_deg" in public
    operator = client.get("/ogc/collections/cameras/queryables", {"f": "json"}, **basic("vanhanh"))
    assert "stream_url" in operator.json()["properties"]


@pytest.mark.parametrize(("url", "params", "status", "message"), [
    (ITEMS.format("parcels"), {"bbox": "104,21,105"}, 400, ""),
    (ITEMS.format("parcels"), {"bbox": "a,b,c,d"}, 400, ""),
    (ITEMS.format("incidents"), {"datetime": "yesterday"}, 400, ""),
    (ITEMS.format("parcels"), {"filter": "land_use = "}, 400, "is not valid cql2-text"),
    (ITEMS.format("parcels"), {"filter": "{\"op\": 1}", "filter-lang": "cql2-json"}, 400, "cql2-json"),
    (ITEMS.format("parcels"), {"filter": "x = 1", "filter-lang": "sql"}, 400, "filter-lang: 'sql'"),
    (ITEMS.format("parcels"), {"filter": "owner__full_name = 'A'"}, 400, "unknown or hidden properties"),
    (ITEMS.format("parcels"), {"colour": "red"}, 400, "unknown query parameters ['colour']"),
    (ITEMS.format("parcels"), {"cursor": "abc"}, 400, "cursor: 'abc' is not a feature id"),
    (ITEMS.format("parcels"), {"limit": "0"}, 400, ""),
    (ITEMS.format("parcels"), {"crs": "EPSG:9999"}, 400, ""),
    (ITEMS.format("parcels"), {"sheet_no": "many"}, 400, "sheet_no: 'many' is not a valid value"),
    (ITEMS.format("parcel"), {}, 404, ""),
    ("/ogc/collections/nowhere", {}, 404, ""),
    (ITEMS.format("parcels") + "/abc", {}, 404, ""),
    (ITEMS.format("parcels") + "/999999999", {}, 404, ""),
])
def test_bad_requests_get_a_clear_4xx(client, url, params, status, message):
    response = client.get(url, {**params, "lang": "en"})  # the messages in English
    assert response.status_code == status, response.content[:300]
    assert message in response.json()["description"]


def test_post_of_geojson_is_a_creation_not_a_query(client):
    anonymous = client.post(ITEMS.format("parcels"), "{}", content_type="application/geo+json")
    assert anonymous.status_code == 401  # a write: sign in first
    signed_in = client.post(ITEMS.format("parcels"), "{}", content_type="application/geo+json",
                            **basic("diachinh.dongtam"))
    assert signed_in.status_code == 400 and "geometry" in signed_in.json()["description"]


def test_token_of_a_revoked_key_is_refused(client):
    from spatial.auth import issue_token
    from spatial.models import ApiToken

    key = issue_token(User.objects.get(username="vanhanh"), "to revoke")
    assert client.get(ITEMS.format("detections"), {"limit": 1},
                      HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.filter(prefix=key.split("_")[1]).update(revoked_at=timezone.now())
    assert client.get(ITEMS.format("detections"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    stored = ApiToken.objects.get(prefix=key.split("_")[1])
    assert key.split("_", 2)[2] not in stored.digest  # only the digest is kept


def test_ogc_tiles_of_a_collection_are_the_same_tiles(client):
    parcel = Parcel.objects.order_by("pk").first()
    from tiles.grid import tiles_covering

    x, y = parcel.geom.centroid.coords
    tile = next(tiles_covering((x, y, x, y), 16))
    ogc = client.get(f"/ogc/collections/parcels/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}")
    assert ogc.status_code == 200
    assert ogc.content == client.get(f"/tiles/parcels/{tile}.pbf").content
    assert client.get(f"/ogc/collections/detections/tiles/WebMercatorQuad/{tile.z}/{tile.y}/{tile.x}"
                      ).status_code == 401


def test_group_membership_is_what_grants_access(client):
    user = User.objects.create_user("leader-test", password="toancanh-demo")
    assert client.get(ITEMS.format("detections"), **basic("leader-test")).status_code == 403
    user.groups.add(Group.objects.get(name="leader"))
    from django.core.cache import cache

    cache.clear()
    assert client.get(ITEMS.format("detections"), {"limit": 1}, **basic("leader-test")).status_code == 200


@pytest.mark.parametrize("params", [{"sortby": ""}, {"stars": "-3620"}, {"offset": "34750326754271"},
                                    {"rooms": "-318586719897347"}])
def test_values_found_by_schemathesis_get_4xx_or_an_empty_page(client, params):
    response = client.get(ITEMS.format("lodging"), params)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["features"] == []


@pytest.mark.parametrize(("params", "vietnamese", "english"), [
    ({"filter": "land_use = "}, "không đúng cú pháp cql2-text", "is not valid cql2-text"),
    ({"filter": "x = 1", "filter-lang": "sql"}, "filter-lang: «sql» không được hỗ trợ", "is not supported"),
    ({"filter": "owner__full_name = 'A'"}, "thuộc tính không có hoặc bị ẩn", "unknown or hidden properties"),
    ({"filter": "geometry = 1"}, "chỉ so sánh bằng các vị từ không gian", "only by spatial predicates"),
    ({"filter": "S_INTERSECTS(land_use, POINT(104.9 21.7))"}, "vị từ không gian so sánh hình học",
     "spatial predicates compare the geometry"),
    ({"filter": "sheet_no = 'many'"}, "«many» không phải giá trị hợp lệ của sheet_no",
     "is not a valid value of sheet_no"),
])
def test_filter_refusals_answer_in_vietnamese_and_in_english_under_lang_en(client, params, vietnamese,
                                                                           english):
    said = client.get(ITEMS.format("parcels"), params)
    assert said.status_code == 400 and vietnamese in said.json()["description"], said.json()
    assert english not in said.json()["description"]
    in_english = client.get(ITEMS.format("parcels"), {**params, "lang": "en"})
    assert in_english.status_code == 400 and english in in_english.json()["description"], in_english.json()
