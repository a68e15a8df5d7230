"""The XLSX form of a unit's report of one period (openpyxl): the template to download, and reading an
upload of it back into what indicators.entry.enter takes, each value named by its cell ("BaoCao!C7").

Layout of the sheet BaoCao: B2 the unit's code (C2 its name), B3 the period's label, row 5 the headings,
from row 6 one row per figure: A its code, B its name, C the value to fill, D the unit of measure, E last
period's value, F the target, G the valid range.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from indicators.entry import Row
from indicators.errors import BadParameter
from indicators.org_units import OrgUnit
from indicators.periods import Period

SHEET = "BaoCao"
FIRST_ROW = 6
VALUE_COLUMN = "C"
HEADINGS = (
    ("Mã chỉ tiêu", "Code"),
    ("Chỉ tiêu", "Indicator"),
    ("Số liệu", "Value"),
    ("Đơn vị tính", "Unit"),
    ("Kỳ trước", "Last period"),
    ("Kế hoạch", "Target"),
    ("Khoảng hợp lệ", "Valid range"),
)
TO_FILL = PatternFill("solid", fgColor="FFF4C2")
MAX_ROWS = 500


def cell(column: str, row: int) -> str:
    """The cell's name in messages: BaoCao!C7."""
    return f"{SHEET}!{column}{row}"


def template(unit: OrgUnit, period: Period, rows: list[Row], language: str = "vi") -> bytes:
    """The workbook to fill: the unit, the period, one row per figure with its stored value if any."""
    en = language == "en"
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A1"] = "Report of figures" if en else "Báo cáo số liệu chỉ tiêu"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"], sheet["B2"], sheet["C2"] = ("Unit" if en else "Đơn vị"), unit.code, unit.name
    sheet["A3"], sheet["B3"] = ("Period" if en else "Kỳ báo cáo"), period.label
    for column, (vi_heading, en_heading) in enumerate(HEADINGS, start=1):
        sheet.cell(row=FIRST_ROW - 1, column=column, value=en_heading if en else vi_heading).font = Font(
            bold=True
        )
    for number, row in enumerate(rows, start=FIRST_ROW):
        low, high = row.indicator.valid_range
        sheet[f"A{number}"] = row.indicator.code
        sheet[f"B{number}"] = row.indicator.name(language)
        sheet[f"C{number}"] = row.value
        sheet[f"C{number}"].fill = TO_FILL
        sheet[f"D{number}"] = row.indicator.unit_en if en else row.indicator.unit_vi
        sheet[f"E{number}"] = row.previous
        sheet[f"F{number}"] = row.target
        sheet[f"G{number}"] = f"[{'' if low is None else f'{low:g}'}, {'' if high is None else f'{high:g}'}]"
    for column, width in zip("ABCDEFG", (22, 48, 14, 14, 14, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(upload: BinaryIO, unit: OrgUnit, period: Period) -> dict[str, tuple[object, str]]:
    """The values of an uploaded template: indicator code → (the value cell's content, its name).
    BadParameter naming the cell for another unit or period, or a workbook without the sheet."""
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError):
        raise BadParameter(
            "file: tệp không phải bảng tính XLSX", "file: the file is no XLSX workbook"
        ) from None
    if SHEET not in book.sheetnames:
        raise BadParameter(
            f"file: không có trang «{SHEET}» (hãy dùng mẫu tải về)",
            f"file: no sheet {SHEET!r} (use the template downloaded)",
        )
    grid = list(book[SHEET].iter_rows(min_row=1, max_row=FIRST_ROW + MAX_ROWS, max_col=3, values_only=True))
    book.close()

    def at(row: int, column: int) -> object:
        return grid[row - 1][column - 1] if row <= len(grid) and column <= len(grid[row - 1]) else None

    for number, expected, what_vi, what_en in (
        (2, unit.code, "đơn vị", "unit"),
        (3, period.label, "kỳ", "period"),
    ):
        found = str(at(number, 2) or "").strip()
        if found != expected:
            raise BadParameter(
                f"{cell('B', number)}: {what_vi} «{found}» khác với {what_vi} đang báo cáo «{expected}»",
                f"{cell('B', number)}: {what_en} {found!r} is not the {what_en} reported, {expected!r}",
            )
    typed: dict[str, tuple[object, str]] = {}
    for number in range(FIRST_ROW, len(grid) + 1):
        code = str(at(number, 1) or "").strip()
        if code:
            typed[code] = (at(number, 3), cell(VALUE_COLUMN, number))
    return typed
