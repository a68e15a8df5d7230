"""Vector tiles: exact content, time windows, size limits, access rules and bad requests."""

from __future__ import annotations

import json

import mapbox_vector_tile
import pytest
from django.db import connection
from django.utils import timezone

from democity.models import DemoCity
from layers.models import Camera, Incident, Parcel, School
from tiles.grid import tiles_covering

pytestmark = pytest.mark.django_db


def decode(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def test_z16_tile_over_the_centre_holds_parcels_with_ids_and_all_public_attributes(client, centre_parcel,
                                                                                  tile_at):
    point = centre_parcel.geom.point_on_surface
    tile = tile_at(point.x, point.y, 16)
    layer = decode(client.get(f"/tiles/parcels/{tile}.pbf"))["parcels"]
    ids = {feature["id"] for feature in layer["features"]}
    assert centre_parcel.pk in ids
    feature = next(f for f in layer["features"] if f["id"] == centre_parcel.pk)
    props = feature["properties"]
    assert (props["sheet_no"], props["parcel_no"], props["land_use"]) == (
        centre_parcel.sheet_no, centre_parcel.parcel_no, centre_parcel.land_use)
    assert props["ward"] == centre_parcel.ward_id
    assert abs(props["area_m2"] - centre_parcel.area_m2) < 0.01


def test_the_tile_holds_exactly_the_parcels_the_database_has_in_it(client, centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    tile = tile_at(point.x, point.y, 15)
    layer = decode(client.get(f"/tiles/parcels/{tile}.pbf"))["parcels"]
    with connection.cursor() as cursor:  # what lies in the tile and its 64/4096 buffer
        cursor.execute("SELECT id FROM layers_parcel WHERE ST_AsMVTGeom(ST_Transform(geom, 3857), "
                       "ST_TileEnvelope(%s, %s, %s), 4096, 64, true) IS NOT NULL", [tile.z, tile.x, tile.y])
        expected = {row[0] for row in cursor.fetchall()}
    assert {f["id"] for f in layer["features"]} == expected


def test_several_layers_in_one_request(client, centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    tile = tile_at(point.x, point.y, 14)
    decoded = decode(client.get(f"/tiles/parcels,roads/{tile}.pbf"))
    assert set(decoded) == {"parcels", "roads"}


def test_time_window_tile_of_incidents_holds_only_that_window(client, city_extent):
    last_week = DemoCity.current().window(7)  # the demo's last 7 days, whatever the date
    start, end = last_week.start, last_week.end
    window = f"{start.isoformat()}/{end.isoformat()}"
    tile = next(tiles_covering(city_extent, 10))
    decoded = decode(client.get(f"/tiles/incidents/{tile}.pbf", {"datetime": window}))
    ids = {f["id"] for f in decoded["incidents"]["features"]}
    expected = set(Incident.objects.filter(reported_at__gte=start, reported_at__lte=end)
                   .values_list("pk", flat=True))
    assert ids == expected and 0 < len(ids) < Incident.objects.count()
    for feature in decoded["incidents"]["features"]:
        assert start.astimezone(timezone.get_current_timezone()).isoformat()[:10] <= \
            feature["properties"]["reported_at"][:10]


def test_ward_parameter_keeps_only_that_wards_features(client, centre_parcel, city_extent):
    tile = next(tiles_covering(city_extent, 11))
    decoded = decode(client.get(f"/tiles/schools/{tile}.pbf", {"ward": centre_parcel.ward.code}))
    ids = {f["id"] for f in decoded.get("schools", {"features": []})["features"]}
    assert ids == set(School.objects.filter(geom__intersects=centre_parcel.ward.geom)
                      .values_list("pk", flat=True))


@pytest.mark.parametrize("layers", ["parcels", "detections", "zoning,roads,water", "citizen_reports",
                                    "incidents"])
def test_no_tile_from_zoom_10_exceeds_500_kb(admin_client, city_extent, layers):
    sizes = {}
    for z in range(10, 15):
        for tile in tiles_covering(city_extent, z):
            response = admin_client.get(f"/tiles/{layers}/{tile}.pbf")
            assert response.status_code in (200, 204)  # 204: an empty tile below the layers' min zoom
            sizes[str(tile)] = len(response.content)
    assert max(sizes.values()) <= 500_000, max(sizes.items(), key=lambda kv: kv[1])


def test_cached_tile_is_served_without_touching_the_database(client, centre_parcel,
                                                              django_assert_num_queries, tile_at):
    point = centre_parcel.geom.point_on_surface
    url = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    first = client.get(url)
    assert first["X-Tile-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Tile-Cache"] == "hit" and second["ETag"] == first["ETag"]
    assert second.content == first.content


def test_a_current_etag_gets_304(client, centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    url = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert "public" in client.get(url)["Cache-Control"]


def test_restricted_layer_tiles_need_the_right_role(client, django_user_model, city_extent):
    from django.contrib.auth.models import Group

    tile = next(tiles_covering(city_extent, 14))  # detections are drawn from zoom 14
    anonymous = client.get(f"/tiles/detections/{tile}.pbf")
    assert anonymous.status_code == 401 and "Basic" in anonymous["WWW-Authenticate"]
    planner = django_user_model.objects.create_user("planner-x", password="x")
    planner.groups.add(Group.objects.get(name="planner"))
    client.force_login(planner)
    assert client.get(f"/tiles/detections/{tile}.pbf").status_code == 403
    operator = django_user_model.objects.create_user("operator-x", password="x")
    operator.groups.add(Group.objects.get(name="operator"))
    client.force_login(operator)
    assert client.get(f"/tiles/detections/{tile}.pbf").status_code == 200


def test_z14_tile_over_the_centre_holds_parcel_ids_and_land_use_only(client, centre_parcel, tile_at):
    point = centre_parcel.geom.point_on_surface
    layer = decode(client.get(f"/tiles/parcels/{tile_at(point.x, point.y, 14)}.pbf"))["parcels"]
    feature = next(f for f in layer["features"] if f["id"] == centre_parcel.pk)
    assert feature["properties"] == {"land_use": centre_parcel.land_use}


def test_restricted_fields_stay_out_of_public_tiles(client, admin_client, tile_at):
    camera = Camera.objects.order_by("pk").first()
    tile = tile_at(camera.geom.x, camera.geom.y, 15)
    public = decode(client.get(f"/tiles/cameras/{tile}.pbf"))["cameras"]["features"]
    assert public and all("stream_url" not in f["properties"] for f in public)
    private = decode(admin_client.get(f"/tiles/cameras/{tile}.pbf"))["cameras"]["features"]
    assert all(f["properties"]["stream_url"].startswith("rtsp://") for f in private)


@pytest.mark.parametrize(("url", "status", "message"), [
    ("/tiles/parcels/23/0/0.pbf", 400, "zoom 23 is out of range: use 0 to 22"),
    ("/tiles/parcels/3/8/0.pbf", 400, "tile 3/8/0 is outside the grid: x and y go from 0 to 7"),
    ("/tiles/parcels/3/0/-1.pbf", 400, "outside the grid"),
    ("/tiles/parcel/3/0/0.pbf", 404, "unknown layer 'parcel'; known layers: wards"),
    ("/tiles/parcels/3/0/0.pbf?datetime=yesterday", 400, "datetime: 'yesterday' is not a date"),
    ("/tiles/parcels/3/0/0.pbf?datetime=2025-02-30", 400, "datetime:"),
    ("/tiles/parcels/3/0/0.pbf?ward=nowhere", 400, "ward: 'nowhere' is not a ward id or code"),
    ("/tiles/parcels/3/0/0.pbf?ward=²", 400, "ward: '²' is not a ward id or code"),
    ("/tiles/parcels/3/0/0.pbf?ward=1²", 400, "ward: '1²' is not a ward id or code"),
    ("/tiles/parcels/3/0/0.pbf?ward=١", 400, "ward: '١' is not a ward id or code"),
    ("/tiles/parcels/3/0/0.pbf?ward=%00", 400, "ward: '\\x00' is not a ward id or code"),
    ("/tiles/parcels,parcels/3/0/0.pbf", 400, "'parcels' is named twice"),
    ("/tiles/parcels,roads,parcels/3/0/0.pbf", 400, "'parcels' is named twice"),
    ("/tiles/parcels,,roads/3/0/0.pbf", 400, "an empty layer name"),
    ("/tiles/parcels,/3/0/0.pbf", 400, "an empty layer name"),
    ("/tiles/,parcels/3/0/0.pbf", 400, "an empty layer name"),
    ("/tiles/roads,roads.json", 400, "'roads' is named twice"),
    ("/tiles/roads,,parcels.json", 400, "an empty layer name"),
    ("/tiles/nothing.json", 404, "unknown layer 'nothing'"),
])
def test_bad_tile_requests_get_a_clear_4xx(client, url, status, message):
    response = client.get(url + ("&" if "?" in url else "?") + "lang=en")  # the messages in English
    assert response.status_code == status
    assert message in response.json()["description"]


def test_a_ward_given_by_id_in_ascii_digits_still_filters(client, centre_parcel, city_extent):
    tile = next(tiles_covering(city_extent, 11))
    by_code = client.get(f"/tiles/schools/{tile}.pbf", {"ward": centre_parcel.ward.code})
    by_id = client.get(f"/tiles/schools/{tile}.pbf", {"ward": str(centre_parcel.ward_id)})
    assert by_id.status_code == 200 and by_id.content == by_code.content


@pytest.mark.parametrize("url", ["/tiles/", "/tiles/parcels,roads.json"])
def test_head_on_tilejson_and_the_catalog_answers_the_get_status_and_headers(client, url):
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code == 200
    assert dict(head.headers) == dict(get.headers)
    assert head["Content-Length"] == str(len(get.content))


def test_tilejson_and_catalog_follow_the_registry(client):
    tilejson = client.get("/tiles/parcels,roads.json").json()
    assert tilejson["tiles"][0].endswith("/tiles/parcels,roads/{z}/{x}/{y}.pbf")
    assert [layer["id"] for layer in tilejson["vector_layers"]] == ["parcels", "roads"]
    catalog = client.get("/tiles/").json()
    assert "parcels" in catalog and "detections" not in catalog


def test_tiles_are_not_stale_after_an_orm_edit(client, centre_parcel, tile_at):
    from tiles import invalidation

    point = centre_parcel.geom.point_on_surface
    url = f"/tiles/parcels/{tile_at(point.x, point.y, 16)}.pbf"
    before = client.get(url)["ETag"]
    Parcel.objects.filter(pk=centre_parcel.pk).update(land_use="TMD")
    with connection.cursor() as cursor:  # the notice is sent at commit; apply what it would say
        cursor.execute("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) "
                       "FROM layers_parcel WHERE id = %s", [centre_parcel.pk])
        box = list(cursor.fetchone())
    invalidation.apply(json.dumps({"table": "layers_parcel", "boxes": [box]}))
    assert client.get(url)["ETag"] != before
