"""The briefing as an XLSX workbook (openpyxl): the same figures as the PDF, as numbers a reader can add
up, one sheet per table."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from briefings.build import FIGURES, Briefing, Overdue

SHEETS = ("Số liệu", "Chỉ tiêu", "Theo xã, phường", "Xu hướng", "Phản ánh quá hạn", "Chỉ đạo quá hạn")
OVERDUE_HEADER = ["Mã", "Nội dung", "Xã, phường", "Đơn vị xử lý", "Hạn", "Số ngày quá hạn"]


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(header, start=1):
        cells = [str(row[index - 1]) for row in rows if row[index - 1] is not None]
        widest = max([len(str(name)), *map(len, cells)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, widest + 2)
    sheet.freeze_panes = "A2"


def _overdue(items: list[Overdue]) -> list[list]:
    return [[i.code, i.title, i.commune, i.unit, i.due.replace(tzinfo=None), i.days_late] for i in items]


def render_xlsx(briefing: Briefing) -> bytes:
    """The briefing's workbook bytes."""
    book = Workbook()
    book.remove(book.active)
    as_of = briefing.as_of.replace(tzinfo=None)
    _sheet(book, SHEETS[0], ["Chỉ số", "Giá trị"], [
        *([FIGURES[key][0], value] for key, value in briefing.figures.items()),
        [None, None],
        ["Báo cáo", briefing.title_vi],
        ["Địa bàn", f"{briefing.area.name} ({briefing.area.code})"],
        ["Kỳ", briefing.period.label],
        ["Số liệu đến", as_of],
    ])
    _sheet(book, SHEETS[1], ["Mã", "Chỉ tiêu", "Đơn vị tính", "Kỳ", "Thực hiện", "Lũy kế năm", "Kế hoạch năm",
                             "% kế hoạch năm", "Cùng kỳ năm trước", "Tăng/giảm so với cùng kỳ (%)"],
           [[r.code, r.name, r.unit, r.period, r.actual, r.ytd, r.plan, r.pct_of_plan, r.last_year,
             r.change_pct] for r in briefing.indicators])
    _sheet(book, SHEETS[2], ["Mã", "Xã, phường", "Phản ánh tiếp nhận", "Phản ánh đã giải quyết",
                             "Phản ánh quá hạn"],
           [[c.code, c.name, c.received, c.resolved, c.overdue] for c in briefing.communes])
    trend = [[p.label, p.received, p.resolved] for p in briefing.trend]
    header = ["Kỳ", "Phản ánh tiếp nhận", "Phản ánh đã giải quyết"]
    if briefing.indicator_trend is not None:
        row, rows = briefing.indicator_trend
        trend += [[None, None, None], [f"{row.name} ({row.unit})", "Thực hiện", "Cùng kỳ năm trước"]]
        trend += [[r["period"], r["actual"], r["last_year"]] for r in rows]
    _sheet(book, SHEETS[3], header, trend)
    _sheet(book, SHEETS[4], OVERDUE_HEADER, _overdue(briefing.reports_overdue))
    _sheet(book, SHEETS[5], OVERDUE_HEADER, _overdue(briefing.directives_overdue))
    book.properties.title = f"{briefing.name_vi} – {briefing.area.name}"
    book.properties.creator = "Toàn Cảnh"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
