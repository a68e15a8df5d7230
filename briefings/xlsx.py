"""The briefing as an XLSX workbook (openpyxl): the same figures as the PDF, as numbers a reader can add
up, one sheet per table; its words in Vietnamese, or in English for `language="en"` (briefings.labels)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from briefings.build import FIGURES, Briefing, Overdue
from briefings.labels import either, text

SHEETS = ("figures", "indicators", "communes", "trend", "reports_overdue", "directives_overdue")
OVERDUE_HEADER = ("code", "subject", "commune", "unit_in_charge", "due", "days_overdue")


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


def render_xlsx(briefing: Briefing, language: str = "vi") -> bytes:
    """The briefing's workbook bytes, in Vietnamese or in English (`language` "en")."""
    def words(*keys: str) -> list[str]:
        return [text(key, language) for key in keys]

    sheets = words(*(f"sheet.{name}" for name in SHEETS))
    book = Workbook()
    book.remove(book.active)
    as_of = briefing.as_of.replace(tzinfo=None)
    _sheet(book, sheets[0], words("figure", "value"), [
        *([either(language, *FIGURES[key]), value] for key, value in briefing.figures.items()),
        [None, None],
        [text("briefing", language), briefing.title(language)],
        [text("area", language), f"{briefing.area.name} ({briefing.area.code})"],
        [text("period", language), briefing.period.label],
        [text("as_of", language), as_of],
    ])
    _sheet(book, sheets[1], words("code", "indicator", "unit_of_measure", "period", "actual", "ytd", "plan",
                                  "pct_of_plan", "last_year", "change"),
           [[r.code, r.name_in(language), r.unit_in(language), r.period, r.actual, r.ytd, r.plan,
             r.pct_of_plan, r.last_year, r.change_pct] for r in briefing.indicators])
    _sheet(book, sheets[2],
           words("code", "commune", "reports_received", "reports_resolved", "reports_overdue"),
           [[c.code, c.name, c.received, c.resolved, c.overdue] for c in briefing.communes])
    trend = [[p.label_in(language), p.received, p.resolved] for p in briefing.trend]
    header = words("period", "reports_received", "reports_resolved")
    if briefing.indicator_trend is not None:
        row, rows = briefing.indicator_trend
        trend += [[None, None, None],
                  [f"{row.name_in(language)} ({row.unit_in(language)})", *words("actual", "last_year")]]
        trend += [[r["period"], r["actual"], r["last_year"]] for r in rows]
    _sheet(book, sheets[3], header, trend)
    _sheet(book, sheets[4], words(*OVERDUE_HEADER), _overdue(briefing.reports_overdue))
    _sheet(book, sheets[5], words(*OVERDUE_HEADER), _overdue(briefing.directives_overdue))
    book.properties.title = f"{briefing.name(language)} – {briefing.area.name}"
    book.properties.creator = "Toàn Cảnh"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
