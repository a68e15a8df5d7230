"""Every insert, update and delete of parcels and zoning is in the history, whoever made it."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.db import connection

from layers.history import NoHistory, as_of, feature_history
from layers.models import Parcel, ZoningPlan
from layers.registry import registry

pytestmark = pytest.mark.django_db

PARCELS = registry.get("parcels")


def shrink(geom: MultiPolygon, factor: float = 0.5) -> MultiPolygon:
    """The geometry scaled around its centroid (a visible, valid edit)."""
    from django.contrib.gis.geos import GEOSGeometry
    from shapely import affinity, wkt

    shape = affinity.scale(wkt.loads(geom.wkt), factor, factor, origin="centroid")
    return MultiPolygon(GEOSGeometry(shape.wkt), srid=4326) if shape.geom_type == "Polygon" else \
        GEOSGeometry(shape.wkt, srid=4326)


def test_orm_edit_is_recorded_with_actor_before_and_after():
    parcel = Parcel.objects.order_by("pk").first()
    old_area = parcel.area_m2
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('ioc.actor', 'user:diachinh.dongtam', true)")
    parcel.geom = shrink(parcel.geom)
    parcel.land_use = "TMD"
    parcel.save()
    entry = feature_history(PARCELS, parcel.pk).last()
    assert (entry.operation, entry.actor) == ("U", "user:diachinh.dongtam")
    assert entry.after["land_use"] == "TMD"
    assert entry.after["area_m2"] == pytest.approx(old_area * 0.25, rel=0.01)
    assert not entry.before_geom.equals(entry.after_geom)
    assert entry.after_geom.area == pytest.approx(entry.before_geom.area * 0.25)
    assert entry.after["version"] == entry.before["version"] + 1


def test_plain_sql_edit_as_from_qgis_is_recorded_and_bumps_the_version():
    parcel = Parcel.objects.order_by("pk")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE layers_parcel SET geom = ST_Multi(ST_Buffer(ST_Centroid(geom), 0.00005, 4)) "
            "WHERE id = %s", [parcel.pk])
    edited = Parcel.objects.get(pk=parcel.pk)
    entry = feature_history(PARCELS, parcel.pk).last()
    assert entry.operation == "U"
    assert entry.actor == f"db:{connection.settings_dict['USER']}"
    assert entry.before["version"] == parcel.version and edited.version == parcel.version + 1
    assert entry.before["area_m2"] == pytest.approx(parcel.area_m2)
    assert entry.after["area_m2"] == pytest.approx(edited.area_m2)


def database_now():
    """The database's clock, which stamps history (this process's clock may differ from it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def test_as_of_returns_the_old_geometry_after_an_edit():
    parcel = Parcel.objects.order_by("pk")[2]
    original = parcel.geom.clone()
    before_edit = database_now()
    parcel.geom = shrink(parcel.geom)
    parcel.save()
    then = {p.pk: p for p in as_of(PARCELS, before_edit)}
    now = {p.pk: p for p in as_of(PARCELS, database_now())}
    assert then[parcel.pk].geom.equals_exact(original, tolerance=1e-9)
    assert now[parcel.pk].geom.equals_exact(Parcel.objects.get(pk=parcel.pk).geom, tolerance=1e-9)
    assert len(then) == Parcel.objects.count()


def test_deleted_parcel_is_back_in_the_past_and_gone_now():
    parcel = Parcel.objects.order_by("pk")[3]
    pk = parcel.pk
    before_delete = database_now()
    parcel.delete()
    assert pk in {p.pk for p in as_of(PARCELS, before_delete)}
    assert pk not in {p.pk for p in as_of(PARCELS, database_now())}
    deleted = feature_history(PARCELS, pk).last()
    assert (deleted.operation, deleted.after, deleted.after_geom) == ("D", None, None)


def test_an_update_that_changes_nothing_is_not_history():
    parcel = Parcel.objects.order_by("pk")[4]
    count = feature_history(PARCELS, parcel.pk).count()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_parcel SET land_use = land_use WHERE id = %s", [parcel.pk])
    assert feature_history(PARCELS, parcel.pk).count() == count
    assert Parcel.objects.get(pk=parcel.pk).version == parcel.version


def test_zoning_edits_are_recorded_too():
    zone = ZoningPlan.objects.order_by("pk").first()
    zone.max_height_m = 45
    zone.save()
    assert feature_history(registry.get("zoning"), zone.pk).last().after["max_height_m"] == 45


def test_layers_without_history_say_so():
    with pytest.raises(NoHistory, match="'schools' keeps no change history"):
        feature_history(registry.get("schools"), 1)
