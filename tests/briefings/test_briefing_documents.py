"""A briefing of the test province for February 2026, made on a frozen clock: its PDF shows the map and the
trend charts where the layout places them (coloured pixels on the page rendered by pdftoppm), its text
(pdftotext) reads in Vietnamese with its diacritics and figures equal to SQL over the same rows; the XLSX
holds the same figures."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata

import numpy as np
import openpyxl
import pytest
from briefing_data import MONTH, NOW, WEEK
from django.db import connection
from PIL import Image

pytestmark = pytest.mark.django_db
DPI = 40


def vi_number(value: float, decimals: int = 0) -> str:
    """1234.5 → '1.234,5' (Vietnamese: '.' groups thousands, ',' marks decimals)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def sql_one(statement: str, params: dict):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


IN_AREA = "JOIN layers_adminunit a ON a.code = %(area)s AND ST_Within(t.geom, a.geom)"


def expected(start: str, end: str) -> dict:
    """The briefing's figures by plain SQL over the province's rows: [start, end) in local time; what is
    overdue at the period's end (open, past its deadline)."""
    p = {"area": "B15", "start": start, "end": end}
    count = lambda table, where: sql_one(f"SELECT count(*) FROM {table} t {IN_AREA} WHERE {where}", p)  # noqa: E731
    period = "AT TIME ZONE 'Asia/Ho_Chi_Minh' >= %(start)s::timestamp AND {} AT TIME ZONE " \
             "'Asia/Ho_Chi_Minh' < %(end)s::timestamp"
    end_ts = "(%(end)s::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    return {
        "received": count("layers_citizenreport", "t.received_at " + period.format("t.received_at")),
        "resolved": count("layers_citizenreport", "t.resolved_at " + period.format("t.resolved_at")),
        "reports_overdue": sorted(r for (r,) in rows(
            f"SELECT t.code FROM layers_citizenreport t {IN_AREA} WHERE t.received_at < {end_ts} AND "
            f"t.due_at < {end_ts} AND t.resolved_at IS NULL AND t.status NOT IN ('resolved', 'rejected')",
            p)),
        "directives_open": count("directives_directive", f"t.issued_at < {end_ts} AND t.status IN "
                                 "('issued', 'acknowledged', 'in_progress')"),
        "directives_overdue": sorted(r for (r,) in rows(
            f"SELECT t.code FROM directives_directive t {IN_AREA} WHERE t.issued_at < {end_ts} AND "
            f"t.due_at < {end_ts} AND t.done_at IS NULL AND t.status IN ('issued', 'acknowledged', "
            "'in_progress')", p)),
        "incidents": count("layers_incident", "t.reported_at " + period.format("t.reported_at")),
        "incidents_serious": count("layers_incident", "t.severity IN ('high', 'critical') AND t.reported_at "
                                   + period.format("t.reported_at")),
    }


def rows(statement: str, params: dict) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def new_businesses() -> dict:
    """The province's new businesses: February 2026, January–February 2026, February 2025, the 2026 plan."""
    total = """SELECT sum(v.value) FROM indicators_indicatorvalue v
               JOIN layers_adminunit a ON a.id = v.area_id
               WHERE a.parent_id = (SELECT id FROM layers_adminunit WHERE code = 'B15') AND
               v.indicator = 'new_businesses' AND v.period_start >= %(start)s AND v.period_start < %(end)s"""
    month = sql_one(total, {"start": "2026-02-01", "end": "2026-03-01"})
    ytd = sql_one(total, {"start": "2026-01-01", "end": "2026-03-01"})
    last_year = sql_one(total, {"start": "2025-02-01", "end": "2025-03-01"})
    plan = sql_one("SELECT t.value FROM indicators_target t JOIN layers_adminunit a ON a.id = t.area_id "
                   "WHERE "
                   "a.code = 'B15' AND t.indicator = 'new_businesses' AND t.period_kind = 'year' AND "
                   "t.period_start = '2026-01-01'", {})
    return {"month": month, "ytd": ytd, "plan": plan, "last_year": last_year}


@pytest.fixture(scope="module")
def monthly(province, django_db_blocker):
    from briefings.build import build

    with django_db_blocker.unblock():
        return build("monthly", "B15", MONTH, now=NOW)


@pytest.fixture(scope="module")
def pdf(monthly, tmp_path_factory, django_db_blocker):
    from briefings.pdf import render_pdf

    path = tmp_path_factory.mktemp("briefing") / "briefing.pdf"
    path.write_bytes(render_pdf(monthly))
    return path


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return text.decode("utf-8")


def test_the_pdf_reads_in_vietnamese_with_the_figures_of_sql(pdf):
    text = pdf_text(pdf)
    assert unicodedata.is_normalized("NFC", text)
    want = expected("2026-02-01", "2026-03-01")
    assert "BÁO CÁO THÁNG 02/2026" in text
    assert "Tỉnh Thử Nghiệm" in text and "Phường Đông Hưng Thịnh" in text and "Xã Quỳnh Lưu" in text

    def figure(label: str) -> str:
        found = re.search(rf"^\s*{re.escape(label)}\s+(\S+)\s*$", text, re.MULTILINE)
        assert found, f"no line «{label}» in the PDF's text"
        return found[1]

    assert figure("Phản ánh tiếp nhận trong kỳ") == vi_number(want["received"]) == "5"
    assert figure("Phản ánh đã giải quyết trong kỳ") == vi_number(want["resolved"]) == "3"
    assert figure("Phản ánh quá hạn") == vi_number(len(want["reports_overdue"])) == "3"
    assert figure("Chỉ đạo đang thực hiện") == vi_number(want["directives_open"]) == "3"
    assert figure("Chỉ đạo quá hạn") == vi_number(len(want["directives_overdue"])) == "2"
    assert figure("Sự cố trong kỳ") == vi_number(want["incidents"]) == "3"
    assert figure("Sự cố mức cao, nghiêm trọng") == vi_number(want["incidents_serious"]) == "2"

    nb = new_businesses()
    pct, change = 100 * nb["ytd"] / nb["plan"], 100 * (nb["month"] / nb["last_year"] - 1)
    row = (rf"Doanh nghiệp thành lập mới\s+doanh nghiệp\s+2026-02\s+{vi_number(nb['month'])}\s+"
           rf"{vi_number(nb['ytd'])}\s+{vi_number(nb['plan'])}\s+{vi_number(pct, 1)} %\s+"
           rf"{vi_number(nb['last_year'])}\s+\+{vi_number(change, 1)} %")
    line = next((line for line in text.splitlines() if "Doanh nghiệp thành lập mới" in line), None)
    assert re.search(row, text), f"month, year to date, plan, % of plan, last year, change: {line!r}"
    assert "+275,0 %" in text and "20,0 %" in text

    listed = set(re.findall(r"\bBR-\d+\b", text))
    assert listed == set(want["reports_overdue"]) == {"BR-2", "BR-3", "BR-6"}
    assert set(re.findall(r"\bBC-\d+\b", text)) == set(want["directives_overdue"]) == {"BC-1", "BC-4"}


def test_the_pdf_embeds_its_fonts(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout.decode()
    lines = [line.split() for line in fonts.splitlines()[2:]]
    assert lines, "the PDF names its fonts"
    assert all("yes" in line[-5:-4] for line in lines), fonts  # the «emb» column
    assert any("NotoSans" in line[0] for line in lines)


def coloured_share(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of the box's pixels (a box in points from the page's top left) that are coloured, neither
    white nor grey nor black."""
    scale = DPI / 72
    x, top, width, height = box
    crop = image.crop((round(x * scale), round(top * scale), round((x + width) * scale),
                       round((top + height) * scale)))
    pixels = np.asarray(crop.convert("RGB")).astype(int)
    return float(((pixels.max(axis=2) - pixels.min(axis=2)) > 40).mean())


def test_the_pdf_shows_the_map_and_the_charts_where_the_layout_places_them(pdf, tmp_path):
    from briefings.pdf import PLACES

    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for name, (page, box) in PLACES.items():
        image = Image.open(pages[page - 1])
        minimum = 0.15 if name == "map" else 0.03
        assert coloured_share(image, box) > minimum, f"{name} on page {page} is not drawn"
    page_one = Image.open(pages[0])
    x, top, width, _ = PLACES["map"][1]
    assert coloured_share(page_one, (x, 36, width, 40)) < 0.01, "the title is not coloured: the check tells"


def test_the_xlsx_holds_the_same_figures(monthly):
    from briefings.xlsx import render_xlsx

    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(monthly)))
    assert book.sheetnames == ["Số liệu", "Chỉ tiêu", "Theo xã, phường", "Xu hướng", "Phản ánh quá hạn",
                               "Chỉ đạo quá hạn"]
    want = expected("2026-02-01", "2026-03-01")
    figures = {row[0]: row[1] for row in book["Số liệu"].iter_rows(min_row=2, values_only=True)}
    assert figures["Phản ánh tiếp nhận trong kỳ"] == want["received"]
    assert figures["Phản ánh đã giải quyết trong kỳ"] == want["resolved"]
    assert figures["Phản ánh quá hạn"] == len(want["reports_overdue"])
    assert figures["Chỉ đạo đang thực hiện"] == want["directives_open"]
    assert figures["Chỉ đạo quá hạn"] == len(want["directives_overdue"])
    assert figures["Sự cố trong kỳ"] == want["incidents"]
    indicators = {row[0]: row for row in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    nb = new_businesses()
    assert indicators["new_businesses"][3:10] == (
        "2026-02", nb["month"], nb["ytd"], nb["plan"], pytest.approx(100 * nb["ytd"] / nb["plan"]),
        nb["last_year"], pytest.approx(100 * (nb["month"] / nb["last_year"] - 1)))
    overdue = [row[0] for row in book["Phản ánh quá hạn"].iter_rows(min_row=2, values_only=True)]
    assert sorted(overdue) == want["reports_overdue"]
    late = [row[0] for row in book["Chỉ đạo quá hạn"].iter_rows(min_row=2, values_only=True)]
    assert sorted(late) == want["directives_overdue"]


def test_a_weekly_briefing_counts_its_week(province):
    from briefings.build import build

    weekly = build("weekly", "B15", WEEK, now=NOW)
    want = expected("2026-02-23", "2026-03-02")
    assert weekly.title_vi == "BÁO CÁO TUẦN 09/2026 (23/02/2026 – 01/03/2026)"
    counted = (weekly.figure("received"), weekly.figure("resolved"))
    assert counted == (want["received"], want["resolved"]) == (3, 1)
    assert sorted(r.code for r in weekly.reports_overdue) == want["reports_overdue"]
