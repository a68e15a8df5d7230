"""One database function answers "which commune contains this place on this day": ioc_commune_at.

The demo city has both structures: 17 communes valid 2008-08-01 → 2025-07-01 and 4 from 2025-07-01.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from layers.communes import communes_at
from layers.models import AdminUnit

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)
BEFORE_REFORM = date(2025, 6, 30)
OUTSIDE_THE_CITY = "SRID=4326;POINT(105.8542 21.0285)"  # Hà Nội, 150 km away


def unit(name: str, day: date) -> AdminUnit:
    return AdminUnit.objects.communes().valid_on(day).get(name=name)


def commune_at(place: str, day: date | None) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ioc_commune_at(ST_GeomFromEWKT(%s), %s)", [place, day])
        return cursor.fetchone()[0]


def inner_point(name: str, day: date) -> str:
    return unit(name, day).geom.point_on_surface.ewkt


def shared_vertex(first: AdminUnit, second: AdminUnit) -> str:
    """A vertex of `first` that also lies on `second` (their common border) and on no third commune."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKT(p.geom) FROM layers_adminunit a, ST_DumpPoints(a.geom) p, layers_adminunit b "
            "WHERE a.id = %(a)s AND b.id = %(b)s AND ST_Intersects(b.geom, p.geom) "
            "AND NOT EXISTS (SELECT 1 FROM layers_adminunit c WHERE c.id NOT IN (%(a)s, %(b)s) "
            "AND c.level = 'commune' AND c.valid_from = a.valid_from AND ST_Intersects(c.geom, p.geom)) "
            "ORDER BY p.path LIMIT 1",
            {"a": first.pk, "b": second.pk})
        return cursor.fetchone()[0]


def outer_vertex(commune: AdminUnit) -> str:
    """A vertex of `commune` on the city's outer border (no other commune of its day touches it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKT(p.geom) FROM layers_adminunit a, ST_DumpPoints(a.geom) p WHERE a.id = %s "
            "AND NOT EXISTS (SELECT 1 FROM layers_adminunit b WHERE b.id <> a.id AND b.level = 'commune' "
            "AND b.valid_from = a.valid_from AND ST_Intersects(b.geom, p.geom)) ORDER BY p.path LIMIT 1",
            [commune.pk])
        return cursor.fetchone()[0]


def test_a_point_inside_a_ward_is_in_that_ward_on_either_side_of_the_2025_reform():
    place = inner_point("Đồng Tâm", BEFORE_REFORM)
    assert commune_at(place, BEFORE_REFORM) == unit("Đồng Tâm", BEFORE_REFORM).pk
    # from 1 July 2025 Đồng Tâm is part of the new Yên Bái ward (valid_to is exclusive)
    assert commune_at(place, REFORM) == unit("Yên Bái", REFORM).pk
    assert commune_at(place, date(2026, 12, 4)) == unit("Yên Bái", REFORM).pk


def test_a_point_before_any_unit_was_in_force_or_on_no_day_is_in_no_commune():
    place = inner_point("Đồng Tâm", BEFORE_REFORM)
    assert commune_at(place, date(2008, 7, 31)) is None
    assert commune_at(place, date(2008, 8, 1)) == unit("Đồng Tâm", BEFORE_REFORM).pk
    assert commune_at(place, None) is None


def test_a_point_outside_the_city_is_in_no_commune():
    assert commune_at(OUTSIDE_THE_CITY, REFORM) is None
    assert commune_at(OUTSIDE_THE_CITY, BEFORE_REFORM) is None


def test_a_point_on_the_border_of_two_communes_belongs_to_the_one_with_the_smaller_id():
    for day, names in ((REFORM, ("Yên Bái", "Nam Cường")), (BEFORE_REFORM, ("Yên Ninh", "Âu Lâu"))):
        first, second = (unit(name, day) for name in names)
        vertex = shared_vertex(first, second)
        assert commune_at(vertex, day) == min(first.pk, second.pk), (day, names)


def test_a_point_on_the_city_border_belongs_to_the_commune_it_bounds():
    yen_bai = unit("Yên Bái", REFORM)
    assert commune_at(outer_vertex(yen_bai), REFORM) == yen_bai.pk


def test_a_shape_belongs_to_the_commune_holding_its_point_on_surface():
    """As the map's figures count features (web_map.area_sql): a parcel on a border counts once."""
    dong_tam = unit("Đồng Tâm", BEFORE_REFORM)
    inner = dong_tam.geom.point_on_surface
    corners = [(inner.x + dx, inner.y + dy) for dx, dy in ((-5e-4, -5e-4), (5e-4, -5e-4), (5e-4, 5e-4),
                                                           (-5e-4, 5e-4), (-5e-4, -5e-4))]
    square = "SRID=4326;POLYGON((" + ", ".join(f"{x} {y}" for x, y in corners) + "))"
    assert commune_at(square, BEFORE_REFORM) == dong_tam.pk


def test_python_callers_ask_the_same_function_for_many_places_at_once():
    place = inner_point("Đồng Tâm", BEFORE_REFORM)
    assert communes_at([place, place, OUTSIDE_THE_CITY], [BEFORE_REFORM, REFORM, REFORM]) == [
        unit("Đồng Tâm", BEFORE_REFORM).pk, unit("Yên Bái", REFORM).pk, None]
    assert communes_at([], []) == []


def test_a_set_of_places_is_joined_to_its_communes_by_the_same_rule_planned_inline():
    """Bulk callers (an import of a million points) join ioc_commune_holding laterally: the planner
    inlines it (no function call per row; its cost is in docs/benchmarks.md) and it
    answers exactly what ioc_commune_at answers, here for places inside, on a border, outside."""
    first, second = unit("Đồng Tâm", BEFORE_REFORM), unit("Nguyễn Thái Học", BEFORE_REFORM)
    places = [inner_point("Đồng Tâm", BEFORE_REFORM), shared_vertex(first, second), OUTSIDE_THE_CITY,
              inner_point("Yên Bái", REFORM)]
    days = [BEFORE_REFORM, BEFORE_REFORM, REFORM, REFORM]
    joined = ("SELECT c.id FROM unnest(%s::text[], %s::date[]) WITH ORDINALITY p(place, day, n) "
              "LEFT JOIN LATERAL ioc_commune_holding(ST_GeomFromEWKT(p.place), p.day) c ON true ORDER BY p.n")
    with connection.cursor() as cursor:
        cursor.execute(joined, [places, days])
        found = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {joined}", [places, days])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert found == [commune_at(place, day) for place, day in zip(places, days, strict=True)]
    assert found[0] == first.pk and found[2] is None
    assert "Function Scan on ioc_commune_holding" not in plan
