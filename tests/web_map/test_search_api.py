"""/api/search: one box for wards, parcels (tờ/thửa), addresses, streets, facilities, codes, cameras
and owners, diacritics ignored, ranked, and never showing what the viewer may not read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count

from layers.models import (
    AdminUnit,
    Camera,
    CitizenReport,
    Incident,
    Parcel,
    ParcelOwner,
    ResponsibleUnit,
    Road,
    School,
)
from layers.registry import Layer, Style, registry
from layers.search import Search, SearchField
from spatial.access import Viewer
from spatial.roles import OPERATOR

pytestmark = pytest.mark.django_db

FORMS = ["tờ 1 thửa 9", "to 1 thua 9", "TỜ 1 THỬA 9", "1/9", "t1 th9", "T1 Th9", "thửa 9 tờ 1"]


def search(client, q: str, headers: dict | None = None, **params) -> dict:
    response = client.get("/api/search", {"q": q, **params}, **(headers or {}))
    assert response.status_code == 200, response.content
    return response.json()


def found(body: dict, kind: str | None = None) -> list[tuple[str, int]]:
    return [(hit["layer"], hit["id"]) for hit in body["results"] if kind is None or hit["kind"] == kind]


@pytest.fixture
def dong_tam() -> AdminUnit:
    return AdminUnit.objects.get(name="Đồng Tâm", level="commune")


@pytest.mark.parametrize("form", FORMS)
def test_each_form_of_sheet_and_parcel_in_a_ward_finds_that_parcel_first(client, dong_tam, form):
    parcel = Parcel.objects.get(ward=dong_tam, sheet_no=1, parcel_no=9)
    body = search(client, form, ward=dong_tam.code)
    first = body["results"][0]
    assert (first["layer"], first["id"], first["kind"]) == ("parcels", parcel.pk, "parcel")
    assert first["label"] == "Tờ 1 thửa 9" and first["ward"] == "Đồng Tâm"
    assert found(body, "parcel") == [("parcels", parcel.pk)]
    west, south, east, north = first["bbox"]
    lon, lat = first["point"]
    assert west <= lon <= east and south <= lat <= north
    assert parcel.geom.covers(parcel.geom.point_on_surface)


def test_without_a_ward_every_sheet_1_parcel_9_is_found_current_wards_named(client):
    body = search(client, "tờ 1 thửa 9", limit=20)
    expected = set(Parcel.objects.filter(sheet_no=1, parcel_no=9).values_list("id", flat=True))
    assert {pk for _layer, pk in found(body, "parcel")} == expected and len(expected) == 9


def test_a_wards_name_typed_with_the_numbers_narrows_to_that_ward(client, dong_tam):
    parcel = Parcel.objects.get(ward=dong_tam, sheet_no=1, parcel_no=9)
    assert found(search(client, "tờ 1 thửa 9 đồng tâm"), "parcel") == [("parcels", parcel.pk)]
    assert found(search(client, "dong tam 1/9"), "parcel") == [("parcels", parcel.pk)]


def test_a_ward_of_the_current_tree_narrows_parcels_by_its_area(client):
    ward = AdminUnit.objects.get(name="Nam Cường", level="commune", valid_to__isnull=True)
    body = search(client, "1/9", ward=ward.code, limit=20)
    with connection.cursor() as cursor:
        cursor.execute("SELECT p.id FROM layers_parcel p, layers_adminunit u WHERE u.id = %s "
                       "AND p.sheet_no = 1 AND p.parcel_no = 9 "
                       "AND ST_Intersects(ST_PointOnSurface(p.geom), u.geom)",
                       [ward.pk])
        inside = {row[0] for row in cursor.fetchall()}
    assert inside and {pk for _layer, pk in found(body, "parcel")} == inside


def test_wards_of_the_current_tree_rank_first(client):
    body = search(client, "nam cuong")
    current = AdminUnit.objects.get(name="Nam Cường", level="commune", valid_to__isnull=True)
    former = AdminUnit.objects.get(name="Nam Cường", level="commune", valid_to__isnull=False)
    assert found(body)[:2] == [("wards", current.pk), ("wards", former.pk)]
    assert body["results"][0]["unit"] == current.pk  # choosing it drills down to that unit


@pytest.mark.parametrize("query", ["dong tam", "Đồng Tâm", "ĐỒNG TÂM", "đong tam"])
def test_wards_are_found_with_or_without_diacritics_before_addresses_naming_them(client, dong_tam, query):
    body = search(client, query)
    assert found(body)[0] == ("wards", dong_tam.pk)
    assert body["results"][0]["kind"] == "ward"
    assert {hit["kind"] for hit in body["results"][1:]} <= {"address", "ward", "facility", "street", "place"}


def test_a_slip_of_the_keyboard_is_forgiven_in_names(client, dong_tam):
    body = search(client, "dong tarn")
    assert found(body)[0] == ("wards", dong_tam.pk)
    assert "address" not in {hit["kind"] for hit in body["results"]}  # addresses match whole words only


@pytest.mark.parametrize("query", ["truong mam non hoa sen", "Trường Mầm non Hoa Sen", "mam non hoa sen"])
def test_facilities_are_found_by_name_without_diacritics(client, query):
    school = School.objects.get(name="Trường Mầm non Hoa Sen")
    body = search(client, query)
    assert found(body)[0] == ("schools", school.pk) and body["results"][0]["kind"] == "facility"


def test_streets_rank_before_cameras_and_addresses_on_them(client):
    road = Road.objects.get(name="Đường Trần Bình Trọng")
    body = search(client, "tran binh trong")
    assert found(body)[0] == ("roads", road.pk) and body["results"][0]["kind"] == "street"
    assert "address" in {hit["kind"] for hit in body["results"]}


def test_an_address_is_found_by_its_number_and_street(client, dong_tam):
    parcel = Parcel.objects.get(ward=dong_tam, sheet_no=1, parcel_no=9)
    body = search(client, "119 ba trieu")
    first = body["results"][0]
    assert (first["layer"], first["id"], first["kind"]) == ("parcels", parcel.pk, "address")
    assert first["detail"] == parcel.address == "Số 119, đường Bà Triệu, phường Đồng Tâm"


def test_codes_are_found_whole_or_by_their_start_in_any_case(client, as_user):
    incident = Incident.objects.order_by("code").first()
    report = CitizenReport.objects.order_by("code").first()
    operator = as_user("vanhanh")
    assert found(search(client, incident.code.lower(), operator))[0] == ("incidents", incident.pk)
    assert found(search(client, report.code, operator))[0] == ("citizen_reports", report.pk)
    prefix = search(client, incident.code[:-1], operator, limit=20)
    assert ("incidents", incident.pk) in found(prefix, "incident")


def test_owners_are_found_by_name_only_by_roles_that_may_read_owners(client, as_user, dong_tam):
    once = ParcelOwner.objects.values("full_name").annotate(n=Count("id")).filter(n=1).values("full_name")
    name = (ParcelOwner.objects.filter(parcel__ward=dong_tam, full_name__in=once)
            .order_by("full_name")[0].full_name)
    owner = ParcelOwner.objects.get(full_name=name)
    land_official = search(client, name, as_user("diachinh.dongtam"))
    assert ("parcels", owner.parcel_id) in found(land_official, "owner")
    for headers in ({}, as_user("gis"), as_user("vanhanh"), as_user("lanhdao")):
        response = client.get("/api/search", {"q": name}, **headers)
        assert "owner" not in {hit["kind"] for hit in response.json()["results"]}
        assert name not in response.content.decode()


@pytest.fixture
def hidden_cameras():
    """The cameras again as a layer only operators read (public=False), searched by code and name."""
    layer = registry.register(Layer(
        id="hidden_cameras", title_vi="Camera ẩn", title_en="Hidden cameras", model="layers.Camera",
        subsystem="traffic", geometry_type="Point", public_fields=("code", "name"), public=False,
        read_roles=(OPERATOR.code,), style=Style("circle", "#000000"),
        search=Search("camera", (SearchField("name"), SearchField("code", match="code")))))
    yield layer
    registry.unregister(layer.id)


def test_a_layer_the_viewer_cannot_read_never_appears(client, as_user, hidden_cameras):
    camera = Camera.objects.get(code="CAM-001")
    for headers in ({}, as_user("gis"), as_user("diachinh.dongtam"), as_user("lanhdao")):
        for query in (camera.name, "CAM-001", "cam-00"):
            body = search(client, query, headers, limit=50)
            assert [hit for hit in body["results"] if hit["layer"] == "hidden_cameras"] == []
            assert ("cameras", camera.pk) in found(body)  # the public layer of the same rows is found
    operator = search(client, "CAM-001", as_user("vanhanh"))
    assert set(found(operator)[:2]) == {("cameras", camera.pk), ("hidden_cameras", camera.pk)}


def test_a_restricted_field_is_searched_only_for_those_who_read_it(client, as_user):
    from layers.search import SearchField as Field
    from web_map.search_sql import may_search

    viewer = Viewer(roles=frozenset())
    cameras = registry.get("cameras")
    assert may_search(viewer, cameras, Field("name")) and not may_search(viewer, cameras, Field("stream_url"))
    assert may_search(Viewer("op", frozenset({OPERATOR.code})), cameras, Field("stream_url"))


def test_unit_staff_find_only_their_units_reports(client, as_user):
    mine = ResponsibleUnit.objects.get(name="UBND Nam Cường")
    own = CitizenReport.objects.filter(unit=mine).order_by("code").first()
    other = CitizenReport.objects.exclude(unit=mine).exclude(unit=None).order_by("code").first()
    staff = as_user("xuly.namcuong")
    assert found(search(client, own.code, staff)) == [("citizen_reports", own.pk)]
    assert found(search(client, other.code, staff)) == []
    assert found(search(client, other.code, as_user("vanhanh"))) == [("citizen_reports", other.pk)]


def test_labels_and_kinds_speak_english_with_lang_en(client, dong_tam):
    body = search(client, "tờ 1 thửa 9", ward=dong_tam.code, lang="en")
    first = body["results"][0]
    assert (first["label"], first["kind_label"]) == ("Sheet 1 parcel 9", "Parcel")
    assert search(client, "dong tam", lang="en")["results"][0]["label"] == dong_tam.name_en


def test_too_short_a_query_finds_nothing_and_bad_parameters_are_refused(client):
    assert search(client, "d")["results"] == []
    response = client.get("/api/search", {"q": "dong tam", "ward": "99999"})
    assert response.status_code == 400 and "99999" in response.json()["description"]
    assert client.get("/api/search", {"q": "x" * 201}).status_code == 400
    assert client.get("/api/search", {"q": "dong tam", "limit": "0"}).status_code == 400


def declared_fields():
    for layer in registry:
        if layer.search is not None:
            for field in layer.search.fields:
                yield layer, field


def _indexes(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return [row[0] for row in cursor.fetchall()]


def test_every_declared_search_field_has_its_index():
    from web_map.search_sql import target

    checked = 0
    for layer, field in declared_fields():
        table, column = target(layer, field.name)
        indexes = _indexes(table)
        if field.match == "words":
            wanted = f"ioc_fold(({column})::text) gin_trgm_ops"
        else:
            wanted = f"({column} varchar_pattern_ops)"
        assert any(wanted in index for index in indexes), (layer.id, field.name, indexes)
        checked += 1
    assert checked >= 15
