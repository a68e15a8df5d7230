"""Safe editing: versions, permissions by role and ward, validation, cadastral operations, history."""

from __future__ import annotations

import base64
import json

import pytest
from django.db import connection
from shapely import affinity
from shapely.geometry import LineString, mapping, shape

from layers.history import feature_history
from layers.models import AdminUnit, CitizenReport, FeatureHistory, Parcel, ParcelLineage
from layers.registry import registry

pytestmark = pytest.mark.django_db
GEOJSON = "application/geo+json"
ITEMS = "/ogc/collections/parcels/items"


def auth(username: str) -> dict:
    token = base64.b64encode(f"{username}:toancanh-demo".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def ward(name: str) -> AdminUnit:
    return AdminUnit.objects.get(name=name, level="commune", valid_to__isnull=False)


@pytest.fixture
def parcel() -> Parcel:
    return Parcel.objects.filter(ward=ward("Đồng Tâm")).order_by("pk")[20]


def feature_of(parcel: Parcel, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": json.loads(parcel.geom.geojson),
        "properties": {
            "ward": parcel.ward_id,
            "sheet_no": parcel.sheet_no,
            "parcel_no": parcel.parcel_no,
            "land_use": parcel.land_use,
            "owner_type": parcel.owner_type,
            "address": parcel.address,
            **properties,
        },
    }


def patch(
    client, parcel_id: int, body: dict, user: str = "diachinh.dongtam", version: int | None = None,
    query: str = "", **headers
):
    if version is None:
        version = Parcel.objects.get(pk=parcel_id).version
    return client.patch(
        f"{ITEMS}/{parcel_id}{query}",
        json.dumps(body),
        content_type=GEOJSON,
        HTTP_IF_MATCH=f'"{version}"',
        **auth(user),
        **headers,
    )


def shrunk(parcel: Parcel, factor: float = 0.8) -> dict:
    return mapping(affinity.scale(shape(json.loads(parcel.geom.geojson)), factor, factor, origin="centroid"))


def test_get_item_carries_its_version_as_etag(client, parcel):
    assert client.get(f"{ITEMS}/{parcel.pk}")["ETag"] == f'"{parcel.version}"'


def test_land_official_edits_a_parcel_of_their_ward_and_history_records_it(client, parcel):
    response = patch(client, parcel.pk, {"properties": {"land_use": "TMD"}, "geometry": shrunk(parcel)})
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{parcel.version + 1}"'
    stored = Parcel.objects.get(pk=parcel.pk)
    assert stored.land_use == "TMD" and stored.area_m2 == pytest.approx(parcel.area_m2 * 0.64, rel=0.01)
    entry = feature_history(registry.get("parcels"), parcel.pk).last()
    assert (entry.actor, entry.operation, entry.after["land_use"]) == ("user:diachinh.dongtam", "U", "TMD")


def test_a_put_of_the_whole_feature_replaces_it_keeping_its_numbers(client, parcel):
    body = feature_of(parcel, address="Số 5, đường Thử")
    response = client.put(f"{ITEMS}/{parcel.pk}", json.dumps(body), content_type=GEOJSON,
                          HTTP_IF_MATCH=f'"{parcel.version}"', **auth("diachinh.dongtam"))
    assert response.status_code == 200, response.content
    saved = Parcel.objects.get(pk=parcel.pk)
    assert saved.address == "Số 5, đường Thử"
    assert (saved.parcel_no, saved.version) == (parcel.parcel_no, parcel.version + 1)


def test_stale_if_match_gets_412_with_the_current_version_and_changes_nothing(client, parcel):
    assert patch(client, parcel.pk, {"properties": {"land_use": "TMD"}}).status_code == 200
    stale = patch(client, parcel.pk, {"properties": {"land_use": "DGD"}}, version=parcel.version)
    assert stale.status_code == 412
    assert stale["ETag"] == f'"{parcel.version + 1}"'
    assert stale.json()["current"]["properties"]["land_use"] == "TMD"
    assert Parcel.objects.get(pk=parcel.pk).land_use == "TMD"


def test_a_write_without_if_match_gets_428(client, parcel):
    response = client.patch(
        f"{ITEMS}/{parcel.pk}",
        json.dumps({"properties": {"land_use": "TMD"}}),
        content_type=GEOJSON,
        **auth("diachinh.dongtam"),
    )
    assert response.status_code == 428 and "If-Match" in response.json()["description"]


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("diachinh.dongtam", 200),
        ("diachinh.hongha", 403),
        ("quantri", 200),
        ("vanhanh", 403),
        ("lanhdao", 403),
        ("gis", 403),
        ("quyhoach", 403),
    ],
)
def test_who_may_edit_a_parcel_of_dong_tam(client, parcel, user, status):
    assert patch(client, parcel.pk, {"properties": {"address": "Số 1"}}, user=user).status_code == status


def test_anonymous_writes_get_401(client, parcel):
    response = client.patch(f"{ITEMS}/{parcel.pk}", "{}", content_type=GEOJSON, HTTP_IF_MATCH='"1"')
    assert response.status_code == 401


def test_a_land_official_cannot_move_a_parcel_into_another_ward(client, parcel):
    response = patch(client, parcel.pk, {"properties": {"ward": ward("Hồng Hà").pk}})
    assert response.status_code == 403
    assert Parcel.objects.get(pk=parcel.pk).ward_id == parcel.ward_id


def test_planner_edits_zoning_in_their_wards_only(client):
    zones = registry.get("zoning").queryset()
    inside = zones.filter(ward=ward("Đồng Tâm")).first()
    outside = zones.exclude(ward__name__in=["Đồng Tâm", "Hồng Hà", "Nguyễn Thái Học"]).first()
    for zone, status in ((inside, 200), (outside, 403)):
        response = client.patch(
            f"/ogc/collections/zoning/items/{zone.pk}",
            json.dumps({"properties": {"max_height_m": 33}}),
            content_type=GEOJSON,
            HTTP_IF_MATCH=f'"{zone.version}"',
            **auth("quyhoach"),
        )
        assert response.status_code == status, response.content


def test_operator_changes_report_status_along_the_workflow_only(client):
    report = CitizenReport.objects.filter(status="received").first()
    url = f"/ogc/collections/citizen_reports/items/{report.pk}"

    def send(body: dict, version: int):
        return client.patch(
            url, json.dumps(body), content_type=GEOJSON, HTTP_IF_MATCH=f'"{version}"', **auth("vanhanh")
        )

    assert send({"properties": {"status": "resolved"}}, report.version).status_code == 400
    assert send({"properties": {"title": "x"}}, report.version).status_code == 400
    assert send({"properties": {"status": "assigned"}}, report.version).status_code == 200
    assert CitizenReport.objects.get(pk=report.pk).status == "assigned"
    land_official = client.patch(
        url,
        json.dumps({"properties": {"status": "in_progress"}}),
        content_type=GEOJSON,
        HTTP_IF_MATCH=f'"{report.version + 1}"',
        **auth("diachinh.dongtam"),
    )
    assert land_official.status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"properties": {"colour": "red"}}, 400, "unknown or read-only properties ['colour']"),
        ({"properties": {"area_m2": 1}}, 400, "unknown or read-only properties ['area_m2']"),
        ({"properties": {"land_use": "XYZ"}}, 400, "land_use"),
        ({"properties": {"sheet_no": "many"}}, 400, "sheet_no"),
        (
            {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},
            400,
            "geometry is invalid: Self-intersection",
        ),
        (
            {"geometry": {"type": "Point", "coordinates": [104.9, 21.7]}},
            400,
            "layer parcels takes MultiPolygon",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[100.5, 13.7], [100.51, 13.7], [100.51, 13.71], [100.5, 13.7]]],
                }
            },
            400,
            "outside Vietnam",
        ),
        ({"geometry": "nope"}, 400, "geometry must be a GeoJSON geometry object"),
    ],
)
def test_bad_edits_get_a_4xx_naming_the_problem_and_change_nothing(client, parcel, body, status, message):
    history = FeatureHistory.objects.count()
    response = patch(client, parcel.pk, body, query="?lang=en")
    assert response.status_code == status, response.content
    assert message in response.json()["description"]
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version
    assert FeatureHistory.objects.count() == history


def test_overlapping_a_neighbour_is_refused(client, parcel):
    neighbour = Parcel.objects.filter(geom__touches=parcel.geom).exclude(pk=parcel.pk).first()
    grown = mapping(
        shape(json.loads(parcel.geom.geojson)).union(
            shape(json.loads(neighbour.geom.geojson)).buffer(-0.00001)
        )
    )
    response = patch(client, parcel.pk, {"geometry": grown}, query="?lang=en")
    assert response.status_code == 400
    assert f"overlaps parcel {neighbour.pk}" in response.json()["description"]


def test_a_taken_parcel_number_gets_409(client, parcel):
    other = Parcel.objects.filter(ward=parcel.ward).exclude(pk=parcel.pk).first()
    response = patch(
        client, parcel.pk, {"properties": {"sheet_no": other.sheet_no, "parcel_no": other.parcel_no}}
    )
    assert response.status_code == 409


def test_not_json_and_unknown_crs_are_refused(client, parcel):
    bad = client.patch(
        f"{ITEMS}/{parcel.pk}",
        "{nope",
        content_type=GEOJSON,
        HTTP_IF_MATCH=f'"{parcel.version}"',
        **auth("diachinh.dongtam"),
    )
    assert bad.status_code == 400
    crs = patch(client, parcel.pk, {"properties": {}}, HTTP_CONTENT_CRS="<http://example.com/crs/1>")
    assert crs.status_code == 400 and "Content-Crs" in crs.json()["description"]


def test_vn2000_input_with_content_crs_lands_on_the_same_place(client, parcel):
    from pyproj import Transformer

    from spatial import vn2000

    to_vn = Transformer.from_crs(4326, vn2000.tm3_crs("15"), always_xy=True)
    geometry = json.loads(parcel.geom.geojson)
    rings = [[list(to_vn.transform(x, y)) for x, y in ring] for ring in geometry["coordinates"][0]]
    response = patch(
        client,
        parcel.pk,
        {"geometry": {"type": "Polygon", "coordinates": rings}},
        HTTP_CONTENT_CRS="<http://www.opengis.net/def/crs/EPSG/0/9208>",
    )
    assert response.status_code == 200, response.content
    assert Parcel.objects.get(pk=parcel.pk).geom.equals_exact(parcel.geom, tolerance=1e-8)


def test_create_and_delete_a_parcel(client, parcel):
    body = feature_of(parcel, parcel_no=9999)
    neighbour_free = shape(body["geometry"])
    body["geometry"] = mapping(affinity.translate(neighbour_free, 0, 0))
    Parcel.objects.filter(pk=parcel.pk).delete()  # make room for the new parcel where the old one was
    created = client.post(ITEMS, json.dumps(body), content_type=GEOJSON, **auth("diachinh.dongtam"))
    assert created.status_code == 201, created.content
    new_id = created.json()["id"]
    assert created["Location"].endswith(f"{ITEMS}/{new_id}") and created["ETag"] == '"1"'
    deleted = client.delete(f"{ITEMS}/{new_id}", HTTP_IF_MATCH='"1"', **auth("diachinh.dongtam"))
    assert deleted.status_code == 204 and not Parcel.objects.filter(pk=new_id).exists()


def test_split_then_merge_round_trips_the_area_and_keeps_lineage_both_ways(client, parcel):
    minx, miny, maxx, maxy = parcel.geom.extent
    cx = (minx + maxx) / 2
    line = mapping(LineString([(cx, miny - 0.001), (cx, maxy + 0.001)]))
    split = client.post(
        f"{ITEMS}/{parcel.pk}/split",
        json.dumps({"line": line}),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{parcel.version}"',
        **auth("diachinh.dongtam"),
    )
    assert split.status_code == 201, split.content
    children = split.json()["features"]
    assert len(children) == 2 and not Parcel.objects.filter(pk=parcel.pk).exists()
    assert sum(Parcel.objects.get(pk=c["id"]).area_m2 for c in children) == pytest.approx(
        parcel.area_m2, abs=0.02
    )
    merged = client.post(
        "/ogc/collections/parcels/merge",
        json.dumps({"items": [{"id": c["id"], "version": 1} for c in children]}),
        content_type="application/json",
        **auth("diachinh.dongtam"),
    )
    assert merged.status_code == 201, merged.content
    merged_id = merged.json()["id"]
    assert abs(Parcel.objects.get(pk=merged_id).area_m2 - parcel.area_m2) <= 0.01
    lineage = client.get(f"{ITEMS}/{merged_id}/lineage").json()
    assert sorted(lineage["parents"]) == sorted(c["id"] for c in children)
    assert lineage["ancestors"][-1] == parcel.pk
    down = client.get(f"{ITEMS}/{parcel.pk}/lineage").json()
    assert sorted(down["children"]) == sorted(c["id"] for c in children) and merged_id in down["descendants"]
    assert ParcelLineage.objects.filter(parent_id=parcel.pk, operation="split").count() == 2


def test_merging_parcels_that_do_not_touch_is_refused(client, parcel):
    far = (
        Parcel.objects.filter(ward=parcel.ward)
        .exclude(geom__touches=parcel.geom)
        .exclude(pk=parcel.pk)
        .last()
    )
    response = client.post(
        "/ogc/collections/parcels/merge?lang=en",
        json.dumps(
            {"items": [{"id": parcel.pk, "version": parcel.version}, {"id": far.pk, "version": far.version}]}
        ),
        content_type="application/json",
        **auth("diachinh.dongtam"),
    )
    assert response.status_code == 400 and "not adjacent" in response.json()["description"]
    assert "không liền kề" in client.post(
        "/ogc/collections/parcels/merge",
        json.dumps({"items": [{"id": parcel.pk, "version": parcel.version},
                              {"id": far.pk, "version": far.version}]}),
        content_type="application/json", **auth("diachinh.dongtam")).json()["description"]


def test_history_api_shows_an_sql_edit_with_before_and_after(client, parcel):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_parcel SET land_use = 'SKC' WHERE id = %s", [parcel.pk])
    # editors are named to readers with a role
    versions = client.get(f"{ITEMS}/{parcel.pk}/history", **auth("gis")).json()["versions"]
    last = versions[-1]
    assert last["operation"] == "U" and last["actor"].startswith("db:")
    assert last["changes"]["land_use"] == [parcel.land_use, "SKC"]
    assert versions[0]["operation"] == "I" and versions[0]["afterGeometry"]["type"] == "MultiPolygon"


def test_restore_an_old_version_as_a_new_edit_and_read_the_collection_as_of_a_date(client, parcel):
    with connection.cursor() as cursor:  # the database's clock stamps history, not this process's
        cursor.execute("SELECT clock_timestamp()")
        before = cursor.fetchone()[0]
    assert (
        patch(client, parcel.pk, {"properties": {"land_use": "TMD"}, "geometry": shrunk(parcel)}).status_code
        == 200
    )
    minx, miny, maxx, maxy = parcel.geom.extent
    past = client.get(ITEMS, {"as-of": before.isoformat(), "bbox": f"{minx},{miny},{maxx},{maxy}"}).json()
    old = next(f for f in past["features"] if f["id"] == parcel.pk)
    assert old["properties"]["land_use"] == parcel.land_use
    # as-of pages are item pages: coordinates with 7 decimals (1 cm)
    assert shape(old["geometry"]).equals_exact(shape(json.loads(parcel.geom.geojson)), 1e-7)
    first = client.get(f"{ITEMS}/{parcel.pk}/history").json()["versions"][0]
    restored = client.post(
        f"{ITEMS}/{parcel.pk}/history/{first['id']}/restore",
        HTTP_IF_MATCH=f'"{parcel.version + 1}"',
        **auth("diachinh.dongtam"),
    )
    assert restored.status_code == 200, restored.content
    now = Parcel.objects.get(pk=parcel.pk)
    assert now.land_use == parcel.land_use and now.version == parcel.version + 2
    assert now.geom.equals_exact(parcel.geom, tolerance=1e-9)


@pytest.mark.parametrize("path", ["patch", "put", "delete", "split", "restore", "merge"])
def test_a_land_official_of_another_ward_cannot_touch_the_parcel_by_any_write_path(client, parcel, path):
    other = auth("diachinh.hongha")
    url, version = f"{ITEMS}/{parcel.pk}", f'"{parcel.version}"'
    history = FeatureHistory.objects.count()
    if path in ("patch", "put"):
        response = getattr(client, path)(
            url, json.dumps(feature_of(parcel)), content_type=GEOJSON, HTTP_IF_MATCH=version, **other
        )
    elif path == "delete":
        response = client.delete(url, HTTP_IF_MATCH=version, **other)
    elif path == "split":
        minx, miny, maxx, maxy = parcel.geom.extent
        line = mapping(LineString([((minx + maxx) / 2, miny - 0.001), ((minx + maxx) / 2, maxy + 0.001)]))
        response = client.post(
            f"{url}/split",
            json.dumps({"line": line}),
            content_type="application/json",
            HTTP_IF_MATCH=version,
            **other,
        )
    elif path == "restore":
        entry = feature_history(registry.get("parcels"), parcel.pk).first()
        response = client.post(f"{url}/history/{entry.pk}/restore", HTTP_IF_MATCH=version, **other)
    else:
        neighbour = (
            Parcel.objects.filter(geom__touches=parcel.geom, ward=parcel.ward).exclude(pk=parcel.pk).first()
        )
        response = client.post(
            "/ogc/collections/parcels/merge",
            json.dumps(
                {
                    "items": [
                        {"id": parcel.pk, "version": parcel.version},
                        {"id": neighbour.pk, "version": neighbour.version},
                    ]
                }
            ),
            content_type="application/json",
            **other,
        )
    assert response.status_code == 403, response.content
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version
    assert FeatureHistory.objects.count() == history
