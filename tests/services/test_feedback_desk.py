"""The operator's feedback desk (/api/desk/): the queue of citizen reports beside the map, filtered by
unit, category, status, overdue and time window; one report's case file; bulk assignment; merging a
duplicate; a hotline call entered on the citizen's behalf. Transitions themselves go through the
editing API (tests/feedback/test_editing_transitions.py): the desk adds no second path for them."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_fsm_log.models import StateLog
from PIL import Image

from feedback.models import ReportPhoto
from feedback.routing import route
from layers.models import CitizenReport, ResponsibleUnit

pytestmark = pytest.mark.django_db
LON, LAT = 104.9035, 21.689  # inside Đồng Tâm


def get(client, as_user, query: str = "", user: str = "vanhanh"):
    return client.get(f"/api/desk/reports{query}", **as_user(user))


def post(client, as_user, path: str, body: dict, user: str = "vanhanh"):
    return client.post(f"/api/desk/{path}", json.dumps(body), content_type="application/json",
                       **as_user(user))


def sql_count(where: str, params: tuple = ()) -> int:
    table = CitizenReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params)  # noqa: S608 (test SQL)
        return cursor.fetchone()[0]


LATE = ("((resolved_at IS NULL AND status NOT IN ('resolved', 'rejected') AND due_at < now())"
        " OR resolved_at > due_at)")


def test_the_queue_lists_the_latest_first(client, as_user):
    received = [row["received_at"] for row in get(client, as_user, "?limit=20").json()["reports"]]
    assert received == sorted(received, reverse=True)
    assert received[0] == timezone.localtime(
        CitizenReport.objects.latest("received_at").received_at).isoformat(timespec="seconds")


def test_the_open_queue_lists_open_reports_by_deadline(client, as_user):
    answer = get(client, as_user, "?status=received,assigned,in_progress,waiting&limit=50&sort=due")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["total"] == sql_count("status IN ('received', 'assigned', 'in_progress', 'waiting')")
    dues = [row["due_at"] for row in body["reports"]]
    assert len(dues) == 50 and dues == sorted(dues)
    first = body["reports"][0]
    assert {"id", "code", "version", "title", "category", "status", "unit", "received_at", "due_at",
            "overdue", "lon", "lat", "ward", "channel", "likely_duplicate_of"} <= set(first)


def test_counts_by_status_follow_the_other_filters(client, as_user):
    body = get(client, as_user, "?category=environment").json()
    for status, count in body["counts"].items():
        assert count == sql_count("category = 'environment' AND status = %s", (status,))
    assert body["total"] == sql_count("category = 'environment'")


def test_the_overdue_filter_is_the_declared_overdue_rule(client, as_user):
    body = get(client, as_user, "?overdue=1&limit=500").json()
    assert body["total"] == sql_count(LATE)
    assert all(row["overdue"] for row in body["reports"])


def test_filters_by_unit_unassigned_and_time_window(client, as_user):
    unit = ResponsibleUnit.objects.filter(code="SXD").get()
    assert get(client, as_user, f"?unit={unit.pk}").json()["total"] == sql_count("unit_id = %s", (unit.pk,))
    assert get(client, as_user, "?unit=none").json()["total"] == sql_count("unit_id IS NULL")
    end = CitizenReport.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    start = end - timedelta(days=7)
    window = f"{start.isoformat()}/{end.isoformat()}".replace("+", "%2B")
    assert get(client, as_user, f"?datetime={window}").json()["total"] == sql_count(
        "received_at BETWEEN %s AND %s", (start, end))


def test_a_code_or_words_find_reports(client, as_user):
    report = CitizenReport.objects.order_by("pk").first()
    found = get(client, as_user, f"?q={report.code}").json()
    assert [row["code"] for row in found["reports"]] == [report.code]


@pytest.mark.parametrize(("query", "named"), [
    ("?status=done", "status"), ("?category=noise", "category"), ("?unit=x", "unit"),
    ("?overdue=maybe", "overdue"), ("?limit=-1", "limit"), ("?datetime=yesterday", "datetime"),
    ("?sort=oldest", "sort")])
def test_a_bad_filter_is_a_400_naming_it(client, as_user, query, named):
    answer = get(client, as_user, query)
    assert answer.status_code == 400
    assert answer.json()["description"].startswith(named)


def test_the_desk_is_for_those_who_handle_reports(client, as_user):
    assert client.get("/api/desk/reports").status_code == 401
    assert get(client, as_user, user="gis").status_code == 403
    assert get(client, as_user, user="lanhdao").status_code == 200  # leaders follow the queue


def test_a_case_file_shows_timeline_moves_suggested_unit_and_reporter(client, as_user):
    report = CitizenReport.objects.filter(status="received", reporter__isnull=False).order_by("pk").first()
    answer = client.get(f"/api/desk/reports/{report.pk}", **as_user("vanhanh"))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["code"] == report.code and body["version"] == report.version
    assert body["suggested_unit"]["id"] == route(report.category, report.ward_id).pk
    assert {move["name"] for move in body["moves"]} == {"assign", "reject"}
    reject = next(move for move in body["moves"] if move["name"] == "reject")
    assert reject == {"name": "reject", "target": "rejected", "text": "reason", "unit": False,
                      "vi": reject["vi"], "en": reject["en"]}
    assert body["timeline"][0]["status"] == "received"
    assert body["reporter"]["full_name"] == report.reporter.full_name  # operators call citizens back


def test_the_units_to_assign_to_are_the_active_ones(client, as_user):
    body = client.get("/api/desk/units", **as_user("vanhanh")).json()
    assert sorted(unit["id"] for unit in body["units"]) == sorted(
        ResponsibleUnit.objects.filter(active=True).values_list("pk", flat=True))
    assert body["may_assign"] is True
    for reader in ("xuly.namcuong", "lanhdao"):
        assert client.get("/api/desk/units", **as_user(reader)).json()["may_assign"] is False


def test_a_case_files_photos_are_public_addresses_that_answer(client, as_user):
    report = CitizenReport.objects.filter(status="received").order_by("pk").first()
    photo = ReportPhoto(report=report, width=8, height=8)
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, format="JPEG")
    photo.image.save(f"{report.code}-1.jpg", ContentFile(image.getvalue()), save=True)
    (address,) = client.get(f"/api/desk/reports/{report.pk}", **as_user("vanhanh")).json()["photos"]
    assert client.get(address).status_code == 200


def test_a_leader_reads_the_case_file_without_moves(client, as_user):
    report = CitizenReport.objects.filter(status="received").order_by("pk").first()
    body = client.get(f"/api/desk/reports/{report.pk}", **as_user("lanhdao")).json()
    assert body["moves"] == []


def test_bulk_assign_assigns_each_through_its_transition_and_names_the_refused(client, as_user):
    received = list(CitizenReport.objects.filter(status="received").order_by("pk")[:3])
    resolved = CitizenReport.objects.filter(status="resolved").order_by("pk").first()
    unit = ResponsibleUnit.objects.get(code="SXD")
    ids = [report.pk for report in received] + [resolved.pk]
    answer = post(client, as_user, "assign", {"ids": ids, "unit": unit.pk, "note": "Giao Sở Xây dựng"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["assigned"] == [r.code for r in received]
    assert [row["code"] for row in body["refused"]] == [resolved.code]
    assert "resolved" in body["refused"][0]["message"]
    for report in received:
        stored = CitizenReport.objects.get(pk=report.pk)
        assert (stored.status, stored.unit_id) == ("assigned", unit.pk)
        log = StateLog.objects.for_(stored).get()
        assert (log.transition, log.by.username) == ("assign", "vanhanh")
    assert CitizenReport.objects.get(pk=resolved.pk).status == "resolved"


def test_bulk_assign_needs_a_unit_and_reports(client, as_user):
    assert post(client, as_user, "assign", {"ids": [1]}).json()["description"].startswith("unit")
    assert post(client, as_user, "assign", {"ids": [], "unit": 1}).json()["description"].startswith("ids")
    assert post(client, as_user, "assign", {"ids": [1], "unit": 1}, user="lanhdao").status_code == 403


def test_merging_a_duplicate_closes_it_pointing_at_the_kept_report(client, as_user):
    kept, duplicate = CitizenReport.objects.filter(status="received").order_by("pk")[:2]
    answer = post(client, as_user, "merge", {"id": duplicate.pk, "into": kept.pk})
    assert answer.status_code == 200, answer.content
    stored = CitizenReport.objects.get(pk=duplicate.pk)
    assert (stored.status, stored.duplicate_of_id) == ("rejected", kept.pk)
    assert post(client, as_user, "merge", {"id": kept.pk, "into": kept.pk}).status_code == 409


def test_an_operator_enters_a_hotline_call(client, as_user):
    before = timezone.now()
    answer = post(client, as_user, "hotline", {
        "category": "environment", "title": "Cháy rác ven sông", "description": "Người dân gọi 1022",
        "lon": LON, "lat": LAT, "full_name": "Nguyễn Văn A", "phone": "0912345678"})
    assert answer.status_code == 201, answer.content
    report = CitizenReport.objects.get(code=answer.json()["code"])
    assert (report.channel, report.status, report.reporter.phone) == ("hotline", "received", "0912345678")
    assert report.received_at >= before
    bad = post(client, as_user, "hotline", {"category": "weather", "title": "x", "lon": LON, "lat": LAT})
    assert bad.status_code == 400 and bad.json()["description"].startswith("category")
    assert post(client, as_user, "hotline", {"category": "environment", "title": "x", "lon": LON, "lat": LAT},
                user="lanhdao").status_code == 403


STAFF, STAFF_UNIT = "xuly.namcuong", "UBND Nam Cường"


def test_unit_staff_follow_only_their_units_reports(client, as_user):
    unit = ResponsibleUnit.objects.get(name=STAFF_UNIT)
    body = get(client, as_user, "?limit=500", user=STAFF).json()
    assert body["total"] == sql_count("unit_id = %s", (unit.pk,))
    assert {row["unit"]["id"] for row in body["reports"]} == {unit.pk}
    other = CitizenReport.objects.exclude(unit=unit).exclude(unit=None).order_by("pk").first()
    assert client.get(f"/api/desk/reports/{other.pk}", **as_user(STAFF)).status_code == 404


def test_unit_staff_are_offered_the_moves_they_may_make_not_handing_over(client, as_user):
    report = CitizenReport.objects.filter(unit__name=STAFF_UNIT, status="assigned").order_by("pk").first()
    body = client.get(f"/api/desk/reports/{report.pk}", **as_user(STAFF)).json()
    assert {move["name"] for move in body["moves"]} == {"start", "reject"}


def test_unit_staff_neither_assign_nor_take_calls(client, as_user):
    report = CitizenReport.objects.filter(unit__name=STAFF_UNIT, status="assigned").order_by("pk").first()
    unit = ResponsibleUnit.objects.get(name=STAFF_UNIT)
    given = {"ids": [report.pk], "unit": unit.pk}
    assert post(client, as_user, "assign", given, user=STAFF).status_code == 403
    call = {"category": "environment", "title": "x", "lon": LON, "lat": LAT}
    assert post(client, as_user, "hotline", call, user=STAFF).status_code == 403
