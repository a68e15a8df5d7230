"""Buildings and line water are layers like the others (#21 item 4): imported by the engine of `ioc import`
(the ward, and a building's parcel, from location when the file leaves them out), served by the OGC
API with labelled fields; the codes real data needed (pharmacy, hostel, college, university) are
accepted on import and named in Vietnamese on the map."""

from __future__ import annotations

import json

import pytest
import shapely
from django.contrib.gis.geos import MultiPolygon
from django.utils import timezone
from shapely.geometry import LineString, mapping

from etl.importer import ImportOptions, import_file
from layers.communes import communes_at
from layers.models import Building, Parcel, Waterway

pytestmark = pytest.mark.django_db


def write_geojson(path, rows: list[dict]):
    features = [{"type": "Feature", "geometry": mapping(row.pop("geometry")), "properties": row}
                for row in rows]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def map_fields(client) -> dict[str, dict[str, dict]]:
    """Each layer's fields as the map's popups read them (/api/layers), by layer and field name."""
    layers = client.get("/api/layers").json()["layers"]
    return {layer["id"]: {f["name"]: f for f in layer["fields"]} for layer in layers}


def test_buildings_get_their_ward_and_parcel_from_location_unless_the_file_names_the_parcel(tmp_path, ward):
    under, named = Parcel.objects.filter(ward=ward, area_m2__gt=150).order_by("pk")[:2]
    footprint = shapely.from_wkt(under.geom.point_on_surface.buffer(0.00004).wkt)  # a house about 8 m wide
    rows = [
        {"code": "NHA-1", "building_use": "residential", "floors": 3, "height_m": 10.5, "year_built": 2012,
         "address": "Số 7 phố Thử Nghiệm", "ward_code": None, "sheet_no": None, "parcel_no": None,
         "geometry": footprint},
        {"code": "NHA-2", "building_use": "religious", "floors": 1, "height_m": None, "year_built": None,
         "address": "", "ward_code": ward.code, "sheet_no": named.sheet_no, "parcel_no": named.parcel_no,
         "geometry": footprint},
    ]
    report = import_file(write_geojson(tmp_path / "nha.geojson", rows), ImportOptions(layer="buildings"))

    assert report.rows_loaded == 2
    (today_ward,) = communes_at([footprint.wkt], [timezone.localdate()])
    assert dict(Building.objects.filter(code__startswith="NHA-").values_list("code", "parcel_id")) == {
        "NHA-1": under.pk, "NHA-2": named.pk}
    assert Building.objects.get(code="NHA-1").ward_id == today_ward
    assert Building.objects.get(code="NHA-2").ward_id == ward.pk
    assert 40 < Building.objects.get(code="NHA-1").area_m2 < 100  # kept by the database, like a parcel's

    moved = Building.objects.get(code="NHA-1")  # an edit that moves it, naming no other parcel
    moved.geom = MultiPolygon(named.geom.point_on_surface.buffer(0.00004), srid=4326)
    moved.save()
    assert Building.objects.get(code="NHA-1").parcel_id == named.pk


def test_buildings_are_served_with_labelled_fields_and_coded_uses(client):
    schema = client.get("/ogc/collections/buildings/schema", {"f": "json"}).json()["properties"]
    assert schema["building_use"]["title"] == "Công năng sử dụng"
    assert "religious" in schema["building_use"]["enum"]
    assert (schema["floors"]["title"], schema["parcel"]["title"]) == ("Số tầng", "Thửa đất")
    page = client.get("/ogc/collections/buildings/items", {"limit": 1, "building_use": "residential"}).json()
    assert page["numberMatched"] == Building.objects.filter(building_use="residential").count() > 0
    assert {"code", "building_use", "floors", "height_m", "year_built", "address", "parcel", "ward"} <= set(
        page["features"][0]["properties"])
    uses = map_fields(client)["buildings"]["building_use"]["values"]
    assert uses["commercial"] == ["Thương mại, dịch vụ", "Commercial and services"]


def test_a_canal_is_imported_and_served_as_line_water(tmp_path, client):
    canal = LineString([(104.88, 21.70), (104.885, 21.702), (104.89, 21.701)])
    rows = [{"code": "KENH-THU", "name": "Kênh Thử Nghiệm", "waterway_kind": "canal", "width_m": 4.5,
             "geometry": canal}]
    report = import_file(write_geojson(tmp_path / "kenh.geojson", rows), ImportOptions(layer="waterways"))

    assert report.rows_loaded == 1
    assert Waterway.objects.get(code="KENH-THU").geom.geom_type == "MultiLineString"
    page = client.get("/ogc/collections/waterways/items", {"waterway_kind": "canal", "lang": "en"}).json()
    assert "Kênh Thử Nghiệm" in [f["properties"]["name"] for f in page["features"]]
    schema = client.get("/ogc/collections/waterways/schema", {"f": "json"}).json()["properties"]
    assert schema["waterway_kind"]["title"] == "Loại dòng chảy"
    assert set(schema["waterway_kind"]["enum"]) == {"river", "stream", "canal", "ditch"}


def test_the_new_codes_are_accepted_on_import_and_named_in_vietnamese(tmp_path, client, ward):
    point = ward.geom.point_on_surface
    files = {
        "health_facilities": ("code,name,health_type,lon,lat\n", "MA-1,Nhà thuốc Thử,pharmacy"),
        "lodging": ("code,name,lodging_type,lon,lat\n", "MA-2,Hostel Thử,hostel"),
        "schools": ("code,name,school_level,lon,lat\n", "MA-3,Trường Cao đẳng Thử,cao_dang"),
    }
    for layer, (header, row) in files.items():
        path = tmp_path / f"{layer}.csv"
        path.write_text(f"{header}{row},{point.x},{point.y}\n", encoding="utf-8")
        assert import_file(path, ImportOptions(layer=layer)).rows_loaded == 1
    layers = map_fields(client)
    assert layers["health_facilities"]["health_type"]["values"]["pharmacy"] == ["Nhà thuốc", "Pharmacy"]
    assert layers["lodging"]["lodging_type"]["values"]["hostel"][1] == "Hostel"
    assert layers["schools"]["school_level"]["values"]["cao_dang"] == ["Cao đẳng", "College"]
    assert layers["schools"]["school_level"]["values"]["dai_hoc"] == ["Đại học", "University"]


def test_the_search_box_finds_a_building_by_its_code_and_by_its_address(client):
    building = Building.objects.exclude(address="").order_by("pk").first()
    hits = client.get("/api/search", {"q": building.code.lower()}).json()["results"]
    assert (hits[0]["layer"], hits[0]["id"], hits[0]["kind"]) == ("buildings", building.pk, "building")
    hits = client.get("/api/search", {"q": building.address}).json()["results"]
    assert ("buildings", building.pk, "address") in {(hit["layer"], hit["id"], hit["kind"]) for hit in hits}
