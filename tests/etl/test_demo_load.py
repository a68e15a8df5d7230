"""The demo city, loaded through the importers by `ioc load_demo`, has the promised contents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from democity.models import DemoCity
from layers.counts import layer_counts, table_counts
from layers.models import AdminUnit, Detection, Incident, Observation, Parcel
from spatial.params import LOCAL_TZ

pytestmark = pytest.mark.django_db

EXPECTED = {
    "wards": 21,  # 17 pre-2025 communes and wards + 4 wards since 1 July 2025
    "parcels": 30_443,
    "zoning": 383,
    "buildings": 1_187,
    "roads": 160,
    "water": 13,
    "waterways": 8,
    "schools": 50,
    "health_facilities": 30,
    "lodging": 60,
    "service_points": 18,
    "env_stations": 8,
    "cameras": 40,
    "incidents": 2_006,  # 2,000 generated + the alert demo's cluster of 5 + the response demo's landslide
    "citizen_reports": 3_000,
    "units": 20,  # a people's committee for each of the 4 wards in force, 16 provincial departments and units
    "detections": 99_987,  # 100,000 generated, less the silent camera's last 13 hours (the alert demo)
    "detection_density": 0,  # aggregated by the vision writer, or by `ioc vision demo` (up.sh) for the demo
    "alerts": 3,  # the alert demo's rules evaluated at the end of the load: AQI, accident cluster, silence
    "incident_steps": 25,  # the SOP steps of the 5 incidents under response
    "emergency_stations": 10,
    "directives": 11,
    "isolation_sites": 3,
    "vaccination_sites": 4,
    "epidemic_cases": 168,  # the demo outbreak: its communes' days with cases (health.demo)
}


def test_every_layer_holds_the_demo_counts():
    assert layer_counts() == EXPECTED


def test_restricted_tables_and_time_series_are_loaded():
    counts = table_counts()
    # observations: the ward metrics by month and the epidemic watch's daily incidence (147 commune-days)
    assert (counts["parcel_owners"], counts["observations"]) == (38_829, 27_291)
    assert 0.85 * 3_000 < counts["citizen_reporters"] < 0.95 * 3_000  # 90 % of senders leave details
    assert counts["history"] >= EXPECTED["parcels"] + EXPECTED["zoning"]


def test_both_administrative_structures_can_be_queried_by_date():
    from datetime import date

    before = AdminUnit.objects.communes().valid_on(date(2025, 6, 30))
    after = AdminUnit.objects.communes().valid_on(date(2025, 7, 1))
    assert before.count() == 17 and "Đồng Tâm" in set(before.values_list("name", flat=True))
    assert after.count() == 4 and "Đồng Tâm" not in set(after.values_list("name", flat=True))
    dong_tam = before.get(name="Đồng Tâm")
    assert (dong_tam.parent.name, dong_tam.parent.parent.name) == ("Yên Bái", "Yên Bái")
    assert dong_tam.parent.level == "district"


def test_parcels_tile_their_wards_without_overlaps_and_detections_lie_in_their_ward():
    """The rules of place (layers.cadastre, etl.ward_rules), judged on the loaded demo in EPSG:4326 as
    the importer judges them, and more strictly than their tolerances: the generator draws within 0.01 m²."""
    from django.db import connection
    from psycopg import sql

    tables = {name: sql.Identifier(model._meta.db_table)
              for name, model in (("parcel", Parcel), ("unit", AdminUnit), ("detection", Detection))}
    queries = {
        # all the overlaps together: the parcels' areas less the area they cover (at least the largest
        # overlap of two; one union is 6x faster than comparing the 115,000 pairs of neighbours)
        "m² of overlaps": "SELECT sum(a) - ST_Area(ST_Union(u)::geography) FROM (SELECT sum(ST_Area("
        "geom::geography)) a, ST_Union(geom) u FROM {parcel} GROUP BY ward_id) w",
        "parcels outside their ward": "SELECT count(*) FROM {parcel} p JOIN {unit} u ON u.id = p.ward_id "
        "WHERE NOT ST_CoveredBy(p.geom, u.geom) AND ST_Area(ST_Difference(p.geom, u.geom)::geography) > 0.01",
        "invalid parcels": "SELECT count(*) FROM {parcel} WHERE NOT ST_IsValid(geom)",
        "detections outside their ward": "SELECT count(*) FROM {detection} d "
        "JOIN {unit} u ON u.id = d.ward_id WHERE NOT ST_Intersects(u.geom, d.geom)",
    }
    with connection.cursor() as cursor:
        found = {}
        for name, query in queries.items():
            cursor.execute(sql.SQL(query).format(**tables).as_string(None))
            found[name] = cursor.fetchone()[0]
    overlaps = found.pop("m² of overlaps")
    assert overlaps < 0.01 and found == dict.fromkeys(found, 0), (overlaps, found)
    assert not Parcel.objects.filter(ward__isnull=True).exists()
    assert not Detection.objects.filter(ward__isnull=True).exists()  # the generator names every ward


def test_load_demo_runs_once(capsys):
    call_command("load_demo")
    assert f"demo city of {DemoCity.current().today} already loaded" in capsys.readouterr().out


def test_the_demo_records_the_day_it_was_made_for_and_its_events_end_there():
    demo = DemoCity.current()  # what tests take their windows and months from, whatever the date
    window = demo.window()
    first, last = Incident.objects.filter(code__startswith="INC-").aggregate(
        Min("reported_at"), Max("reported_at")).values()
    assert window.start <= first and window.end - timedelta(days=1) <= last < window.end
    stamps = Observation.objects.filter(layer="wards", metric="budget_revenue").values_list(
        "observed_at", flat=True).distinct()
    assert sorted({s.astimezone(LOCAL_TZ).strftime("%Y-%m") for s in stamps}) == demo.indicator_months()
    assert len(demo.indicator_months()) == 24


def test_counts_command_prints_every_layer_with_titles(capsys):
    call_command("counts")
    out = capsys.readouterr().out
    assert "parcels               30,443  Thửa đất / Land parcels" in out
    assert "detections            99,987" in out


def test_every_report_category_has_a_unit_in_every_commune_in_force():
    from feedback.routing import route
    from layers.vocabularies import REPORT_CATEGORY

    for commune in AdminUnit.objects.communes().filter(valid_to__isnull=True):
        for category in REPORT_CATEGORY.codes:
            assert route(category, commune) is not None, (category, commune.name)


def test_every_report_a_unit_handles_has_the_unit_routing_gives_it():
    from feedback.routing import route
    from layers.models import CitizenReport

    handled = CitizenReport.objects.filter(status__in=("assigned", "in_progress", "waiting", "resolved"))
    assert handled.exists() and not handled.filter(unit__isnull=True).exists()
    for report in handled.select_related("unit")[:200]:
        assert report.unit == route(report.category, report.ward_id)
        assert report.responsible_unit == report.unit.name
    assert not CitizenReport.objects.filter(status="received", unit__isnull=False).exists()
