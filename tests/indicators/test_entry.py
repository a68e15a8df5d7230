"""Data entry ("Đúng"): a department's form for a month lists the figures it reports with last month's
value and the target beside each; the XLSX template holds the same rows, and an upload goes through the
same checks, naming the cell; a part above its whole, a value out of range and an unconfirmed jump are
refused (400); only a unit's own staff enter its figures and only leaders or administrators approve
or return them (403); submit → approve is kept with who, when and the comment."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook

from democity.models import DemoCity
from democity.reporting import MISSING
from indicators.models import IndicatorValue
from indicators.periods import Period
from indicators.registry import AREA_REPORTER, registry

pytestmark = pytest.mark.django_db
UNIT = sorted(MISSING)[-1]  # a department that has not reported the demo's last month


@pytest.fixture
def department_staff(django_user_model):
    """A user working for the department of that code (spatial.UnitAssignment, as unit staff)."""
    from django.contrib.auth.models import Group

    from layers.models import ResponsibleUnit
    from spatial.models import UnitAssignment
    from spatial.roles import UNIT_STAFF

    def make(code: str):
        user = django_user_model.objects.create_user(f"nhap.{code.lower()}", password="x")
        user.groups.add(Group.objects.get_or_create(name=UNIT_STAFF.code)[0])
        UnitAssignment.objects.create(user=user, unit=ResponsibleUnit.objects.get(code=code))
        return user

    return make


def last_month() -> Period:
    return Period.holding("month", DemoCity.current().today.replace(day=1) - timedelta(days=1))


def form_url(code: str = UNIT, period: Period | None = None) -> str:
    return f"/chi-tieu/nhap/{code}/{(period or last_month()).label}/"


def previous_value(code: str, indicator: str) -> float:
    before = Period.holding("month", last_month().start - timedelta(days=1))
    return IndicatorValue.objects.get(indicator=indicator, agency__code=code, period_start=before.start).value


def owed(code: str = UNIT) -> list[str]:
    """The monthly figures a department reports, from the catalogue: its own (levels with agencies)
    and those it reports for the province."""
    return [
        i.code
        for i in registry
        if i.cadence == "month"
        and (i.reporter == code or (i.reporter == AREA_REPORTER and "agency" in i.levels))
    ]


def filled(client, url: str, action: str = "save", **values: str) -> dict:
    """The form's fields for a POST: the values given, every other figure its last value or 10."""
    page = client.get(url).content.decode()
    rows = re.findall(r'<tr data-indicator="([a-z_0-9]+)" data-previous="([^"]*)"', page)
    fields = {f"value-{code}": values.get(code, previous or "10") for code, previous in rows}
    return {**fields, "action": action, "confirm": "1"}


def test_the_form_lists_the_units_figures_with_last_period_and_target(client, department_staff):
    client.force_login(department_staff(UNIT))
    page = client.get(form_url()).content.decode()
    fields = re.findall(r'<input[^>]* name="value-([a-z_0-9]+)"', page)
    assert fields == owed() and "dossiers_on_time" in fields
    assert "Hồ sơ thủ tục hành chính tiếp nhận" in page
    row = re.search(r'<tr data-indicator="dossiers_received".*?</tr>', page, re.S).group(0)
    assert f'data-previous="{previous_value(UNIT, "dossiers_received"):g}"' in row
    assert 'data-target="' in row


def test_submit_then_approve_keeps_the_history(client, department_staff, as_user):
    received = previous_value(UNIT, "dossiers_received")
    client.force_login(department_staff(UNIT))
    given = {"dossiers_received": f"{received:g}", "dossiers_on_time": f"{received - 1:g}"}
    sent = client.post(form_url(), filled(client, form_url(), "submit", **given))
    assert sent.status_code == 303, sent.content.decode()[:3000]
    values = IndicatorValue.objects.filter(agency__code=UNIT, period_start=last_month().start)
    assert sorted(values.values_list("indicator", flat=True)) == sorted(owed())
    assert set(values.values_list("status", flat=True)) == {"reported"}
    client.logout()
    approved = client.post(form_url(), {"action": "approve", "comment": "Số liệu khớp"}, **as_user("lanhdao"))
    assert approved.status_code == 303, approved.content.decode()[:3000]
    assert set(values.values_list("status", flat=True)) == {"approved"}
    history = client.get(f"/api/hub/reports/{UNIT}/{last_month().label}", **as_user("lanhdao")).json()
    assert history["status"] == "approved"
    assert [(step["state"], step["by"], step["comment"]) for step in history["history"]] == [
        ("submitted", f"nhap.{UNIT.lower()}", ""),
        ("approved", "lanhdao", "Số liệu khớp"),
    ]
    assert all(step["at"] for step in history["history"])


def test_a_part_above_its_whole_and_an_unconfirmed_jump_are_refused_naming_the_field(
    client, department_staff
):
    client.force_login(department_staff(UNIT))
    received = previous_value(UNIT, "dossiers_received")
    part = client.post(
        form_url(),
        {
            "value-dossiers_received": f"{received:g}",
            "value-dossiers_on_time": f"{received + 5:g}",
            "action": "save",
        },
    )
    assert part.status_code == 400
    assert "Hồ sơ giải quyết đúng hạn" in part.content.decode()
    assert "không được lớn hơn" in part.content.decode()
    jump = client.post(
        form_url() + "?lang=en",
        {"value-dossiers_received": f"{received * 10:g}", "value-dossiers_on_time": "0", "action": "save"},
    )
    assert jump.status_code == 400
    assert "Administrative dossiers received" in jump.content.decode() and "confirm" in jump.content.decode()
    confirmed = client.post(
        form_url(),
        {
            "value-dossiers_received": f"{received * 10:g}",
            "value-dossiers_on_time": "0",
            "action": "save",
            "confirm": "1",
        },
    )
    assert confirmed.status_code == 303


def template(client) -> Workbook:
    answer = client.get(f"/api/hub/reports/{UNIT}/{last_month().label}/xlsx")
    assert answer.status_code == 200
    return load_workbook(io.BytesIO(answer.content))


def upload(client, book: Workbook, query: str = ""):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "bao-cao.xlsx"
    return client.post(f"/api/hub/reports/{UNIT}/{last_month().label}/xlsx{query}", {"file": buffer})


def test_the_xlsx_template_holds_the_unit_the_period_and_one_row_per_figure(client, department_staff):
    client.force_login(department_staff(UNIT))
    sheet = template(client)["BaoCao"]
    assert (sheet["B2"].value, sheet["B3"].value) == (UNIT, last_month().label)
    codes = [sheet[f"A{row}"].value for row in range(6, 6 + len(owed()))]
    assert codes == owed() and sheet[f"A{6 + len(owed())}"].value is None
    row = 6 + codes.index("dossiers_received")
    assert sheet[f"E{row}"].value == previous_value(UNIT, "dossiers_received")


def test_an_upload_with_a_bad_value_in_c7_names_the_cell_and_the_figure(client, department_staff):
    client.force_login(department_staff(UNIT))
    book = template(client)
    sheet = book["BaoCao"]
    seventh = registry.get(sheet["A7"].value)  # the catalogue's second monthly figure of a department
    sheet["C6"] = sheet["E6"].value or 10
    sheet["C7"] = "năm mươi"
    vi = upload(client, book)
    en = upload(client, book, "?lang=en")
    assert vi.status_code == en.status_code == 400
    label = last_month().label
    assert (
        f"BaoCao!C7: {seventh.name_vi}, kỳ {label}: «năm mươi» không phải là số" in vi.json()["description"]
    )
    assert (
        f"BaoCao!C7: {seventh.name_en}, period {label}: 'năm mươi' is not a number"
        in en.json()["description"]
    )
    assert [problem["cell"] for problem in vi.json()["problems"]] == ["BaoCao!C7"]
    sheet["C7"] = sheet["E7"].value or 10
    assert upload(client, book).status_code == 200
    stored = IndicatorValue.objects.get(
        agency__code=UNIT, indicator=seventh.code, period_start=last_month().start
    )
    assert (stored.value, stored.source, stored.status) == (sheet["C7"].value, "xlsx", "draft")


def test_only_the_units_staff_enter_and_only_leaders_approve(client, department_staff, as_user):
    other = department_staff("SXD")
    client.force_login(other)
    assert client.get(form_url()).status_code == 403
    refused = client.post(form_url(), {"value-dossiers_received": "1", "action": "save"})
    assert refused.status_code == 403
    client.logout()
    assert client.post(form_url(), {"action": "save"}).status_code == 401
    client.force_login(department_staff(UNIT))
    submitted = client.post(form_url(), filled(client, form_url(), "submit"))
    assert submitted.status_code == 303
    assert client.post(form_url(), {"action": "approve"}).status_code == 403
    client.logout()
    returned = client.post(form_url(), {"action": "return", "comment": ""}, **as_user("lanhdao"))
    assert returned.status_code == 400  # returning needs a reason
    assert (
        client.post(
            form_url(), {"action": "return", "comment": "Thiếu số liệu tháng trước"}, **as_user("lanhdao")
        ).status_code
        == 303
    )


def test_a_report_is_submitted_only_whole(client, department_staff):
    client.force_login(department_staff(UNIT))
    client.post(form_url(), {"value-dossiers_received": "50", "action": "save"})
    refused = client.post(form_url(), {"action": "submit"})
    assert refused.status_code == 400
    assert "value-dossiers_on_time: Hồ sơ giải quyết đúng hạn" in refused.content.decode()
    assert "chưa nhập số liệu" in refused.content.decode()
    assert not IndicatorValue.objects.filter(agency__code=UNIT, status="reported").exists()


def test_the_api_enters_submits_and_approves_as_the_form_does(client, department_staff, as_user):
    url = f"/api/hub/reports/{UNIT}/{last_month().label}"
    client.force_login(department_staff(UNIT))
    bad = client.post(url + "?lang=en", {"values": {"dossiers_on_time": -1}}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["field"] == "values.dossiers_on_time"
    assert bad.json()["description"].startswith(
        f"values.dossiers_on_time: Dossiers settled on time, period {last_month().label}"
    )
    values = {code: 10 for code in owed()} | {"dossiers_received": 60, "dossiers_on_time": 55}
    sent = client.post(
        url, {"action": "submit", "values": values, "confirm": True}, content_type="application/json"
    )
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert client.post(url, {"action": "approve"}, content_type="application/json").status_code == 403
    client.logout()
    approved = client.post(url, {"action": "approve"}, content_type="application/json", **as_user("lanhdao"))
    assert approved.json()["status"] == "approved"
    assert [step["state"] for step in approved.json()["history"]] == ["submitted", "approved"]
