"""A briefing speaks the reader's language: Vietnamese by default, English under ?lang=en — the PDF's
title, headings, table headers, key figures, footer and empty lists, its numbers written the English way
(1,234.5; 20.0%), the indicators by their English names, the XLSX's sheets and headers and the charts'
words. Place names, codes and what people wrote (titles of reports, names of units) stay as they are."""

from __future__ import annotations

import io
import re
import subprocess

import openpyxl
import pytest
from briefing_data import MONTH, NOW
from test_briefing_delivery import signed_in

pytestmark = pytest.mark.django_db
URL = f"/api/briefings/monthly?area=B15&period={MONTH}"
# what the Vietnamese documents say that an English one must not
VIETNAMESE = ["BÁO CÁO THÁNG", "Địa bàn:", "số liệu đến", "Chỉ số", "Giá trị", "Phản ánh tiếp nhận trong kỳ",
              "Chỉ đạo đang thực hiện", "Sự cố trong kỳ", "Chỉ tiêu kinh tế", "Phản ánh theo xã, phường",
              "Danh sách phản ánh quá hạn", "Danh sách chỉ đạo quá hạn", "Lũy kế năm", "Tăng/giảm",
              "Đơn vị xử lý", "Doanh nghiệp thành lập mới", "ngày", "lập lúc", "Trang"]
ENGLISH = ["MONTHLY BRIEFING 02/2026", "Area: Tỉnh Thử Nghiệm (B15)", "figures as of 00:00 01/03/2026",
           "Economic and social indicators", "Reports by commune", "Overdue reports (3)",
           "Overdue directives (2)", "Last year", "Change", "Unit in charge", "New businesses registered",
           "made at 07:00 02/03/2026", "Page 1", "Page 3"]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


@pytest.fixture
def download(province, monkeypatch):
    """GET the briefing as a leader, made on the frozen clock (NOW), with `query` added."""
    from functools import partial

    from briefings import build, views

    monkeypatch.setattr(views, "build", partial(build.build, now=NOW))
    return lambda query="": fetch(query)


def fetch(query: str) -> bytes:
    answer = signed_in("lanhdao").get(URL + query)
    assert answer.status_code == 200, answer.content[:300]
    return answer.content


def test_the_pdf_under_lang_en_reads_in_english(download, tmp_path):
    text = pdf_text(download("&lang=en"), tmp_path)
    flat = re.sub(r"\s+", " ", text)
    assert [words for words in ENGLISH if words not in flat] == []
    assert [words for words in VIETNAMESE if words in text] == []
    for label, value in (("Reports received", "5"), ("Reports resolved", "3"), ("Reports overdue", "3"),
                         ("Directives open", "3"), ("Directives overdue", "2"), ("Incidents", "3"),
                         ("Serious incidents", "2")):
        assert re.search(rf"^\s*{label}\s+{value}\s*$", text, re.MULTILINE), f"no line «{label} {value}»"
    assert "+275.0%" in text and "20.0%" in text, "numbers the English way"
    assert re.search(r"\b\d+ days\b", text), "days late in English"
    assert "Phường Đông Hưng Thịnh" in text and "Rác BR-2" in text, "places and titles stay as written"


def test_the_xlsx_under_lang_en_has_english_sheets_and_headers(download):
    book = openpyxl.load_workbook(io.BytesIO(download("&format=xlsx&lang=en")))
    assert book.sheetnames == ["Figures", "Indicators", "By commune", "Trends", "Overdue reports",
                               "Overdue directives"]
    headers = {sheet.title: [cell.value for cell in sheet[1]] for sheet in book}
    assert headers["Figures"] == ["Figure", "Value"]
    assert headers["Indicators"] == ["Code", "Indicator", "Unit", "Period", "Actual", "Year to date",
                                     "Year plan", "% of year plan", "Same period last year",
                                     "Change on last year (%)"]
    assert headers["By commune"] == ["Code", "Commune", "Reports received", "Reports resolved",
                                     "Reports overdue"]
    assert headers["Overdue reports"] == ["Code", "Subject", "Commune", "Unit in charge", "Due",
                                          "Days overdue"]
    figures = {row[0]: row[1] for row in book["Figures"].iter_rows(min_row=2, values_only=True)}
    assert figures["Reports received"] == 5 and figures["Serious incidents"] == 2
    assert figures["Briefing"] == "MONTHLY BRIEFING 02/2026"
    indicators = {row[0]: row for row in book["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert indicators["new_businesses"][1:3] == ("New businesses registered", "businesses")
    words = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert [w for w in words if any(vi in w for vi in VIETNAMESE[:-3])] == []


def test_the_charts_under_en_are_labelled_in_english(province, monkeypatch):
    from briefings import drawing
    from briefings.build import build
    from briefings.pdf import PLACES

    words: list[str] = []

    def texts(figure) -> bytes:
        for artist in figure.findobj(lambda a: hasattr(a, "get_text")):
            words.append(artist.get_text())
        return b""

    monkeypatch.setattr(drawing, "_png", texts)
    briefing = build("monthly", "B15", MONTH, now=NOW)
    for draw in (drawing.area_map, drawing.feedback_chart, drawing.indicator_chart):
        draw(briefing, *PLACES["map"][1][2:], language="en")
    shown = " | ".join(w for w in words if w)
    for english in ("Reports received by commune — Monthly briefing 02/2026", "Overdue reports (3)",
                    "Overdue directives (2)", "Received", "Resolved", "Reports received and resolved",
                    "New businesses registered (businesses)", "Actual", "Same period last year"):
        assert english in shown
    for vietnamese in ("Phản ánh", "Chỉ đạo", "Tiếp nhận", "Đã giải quyết", "Thực hiện", "Cùng kỳ",
                       "Doanh nghiệp", "Báo cáo"):
        assert vietnamese not in shown, shown


def test_without_lang_en_the_documents_stay_vietnamese(download, tmp_path):
    for query in ("", "&lang=vi"):
        text = pdf_text(download(query), tmp_path)
        assert "BÁO CÁO THÁNG 02/2026" in text and "Chỉ tiêu kinh tế – xã hội" in text
        assert "lập lúc 07:00 02/03/2026" in text and "Trang 1" in text and "+275,0 %" in text
        assert [words for words in ("MONTHLY BRIEFING", "Page 1", "made at", "Reports received", "days")
                if words in text] == []
    book = openpyxl.load_workbook(io.BytesIO(download("&format=xlsx")))
    assert book.sheetnames[0] == "Số liệu" and book["Số liệu"]["A1"].value == "Chỉ số"


def test_numbers_are_written_the_readers_way():
    from briefings.numbers import number, percent

    assert (number(1234.5, language="vi"), number(1234.5, language="en")) == ("1.234,5", "1,234.5")
    assert (number(1234567), number(1234567, language="en")) == ("1.234.567", "1,234,567")
    assert (percent(275, signed=True), percent(275, signed=True, language="en")) == ("+275,0 %", "+275.0%")
    assert number(None, language="en") == "—"
