"""Every word the briefings' documents print, Vietnamese first, English second (?lang=en): one table for
the PDF, the XLSX and the pictures. Place names, codes and what people wrote stay as they are."""

from __future__ import annotations

LANGUAGES = ("vi", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # the briefing's name: "Báo cáo tháng 02/2026", "Monthly briefing 02/2026"
    "name.weekly": ("Báo cáo tuần {number}", "Weekly briefing {number}"),
    "name.monthly": ("Báo cáo tháng {number}", "Monthly briefing {number}"),
    # the PDF
    "subtitle": ("Địa bàn: <b>{area}</b> ({code}) · số liệu đến {as_of}",
                 "Area: <b>{area}</b> ({code}) · figures as of {as_of}"),
    "figure": ("Chỉ số", "Figure"),
    "value": ("Giá trị", "Value"),
    "heading.indicators": ("Chỉ tiêu kinh tế – xã hội", "Economic and social indicators"),
    "heading.communes": ("Phản ánh theo xã, phường", "Reports by commune"),
    "heading.reports_overdue": ("Danh sách phản ánh quá hạn ({count})", "Overdue reports ({count})"),
    "heading.directives_overdue": ("Danh sách chỉ đạo quá hạn ({count})", "Overdue directives ({count})"),
    "empty.indicators": ("Chưa có số liệu chỉ tiêu cho địa bàn trong kỳ.",
                         "No indicator figures for the area in the period."),
    "empty.reports_overdue": ("Không có phản ánh quá hạn.", "No overdue reports."),
    "empty.directives_overdue": ("Không có chỉ đạo quá hạn.", "No overdue directives."),
    "days": ("{count} ngày", "{count} days"),
    "day": ("{count} ngày", "{count} day"),
    "footer": ("Toàn Cảnh · {name} · {area} · lập lúc {made}",
               "Toàn Cảnh · {name} · {area} · made at {made}"),
    "page": ("Trang {page}", "Page {page}"),
    # table headers (PDF: short, XLSX: in full where they differ)
    "code": ("Mã", "Code"),
    "commune": ("Xã, phường", "Commune"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "unit": ("Đơn vị", "Unit"),
    "unit_of_measure": ("Đơn vị tính", "Unit"),
    "period": ("Kỳ", "Period"),
    "actual": ("Thực hiện", "Actual"),
    "ytd": ("Lũy kế năm", "Year to date"),
    "plan.short": ("KH năm", "Year plan"),
    "plan": ("Kế hoạch năm", "Year plan"),
    "pct_of_plan.short": ("% KH năm", "% of year plan"),
    "pct_of_plan": ("% kế hoạch năm", "% of year plan"),
    "last_year.short": ("Cùng kỳ", "Last year"),
    "last_year": ("Cùng kỳ năm trước", "Same period last year"),
    "change.short": ("Tăng/giảm", "Change"),
    "change": ("Tăng/giảm so với cùng kỳ (%)", "Change on last year (%)"),
    "received.short": ("Tiếp nhận", "Received"),
    "resolved.short": ("Đã giải quyết", "Resolved"),
    "overdue.short": ("Quá hạn", "Overdue"),
    "subject": ("Nội dung", "Subject"),
    "unit_in_charge": ("Đơn vị xử lý", "Unit in charge"),
    "due": ("Hạn", "Due"),
    "days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "reports_received": ("Phản ánh tiếp nhận", "Reports received"),
    "reports_resolved": ("Phản ánh đã giải quyết", "Reports resolved"),
    "reports_overdue": ("Phản ánh quá hạn", "Reports overdue"),
    # the XLSX: sheets, and the lines under the key figures
    "sheet.figures": ("Số liệu", "Figures"),
    "sheet.indicators": ("Chỉ tiêu", "Indicators"),
    "sheet.communes": ("Theo xã, phường", "By commune"),
    "sheet.trend": ("Xu hướng", "Trends"),
    "sheet.reports_overdue": ("Phản ánh quá hạn", "Overdue reports"),
    "sheet.directives_overdue": ("Chỉ đạo quá hạn", "Overdue directives"),
    "briefing": ("Báo cáo", "Briefing"),
    "area": ("Địa bàn", "Area"),
    "as_of": ("Số liệu đến", "Figures as of"),
    # the pictures
    "map.title": ("Phản ánh tiếp nhận theo xã, phường — {name}", "Reports received by commune — {name}"),
    "map.classes": ("Số phản ánh tiếp nhận", "Reports received"),
    "map.reports_overdue": ("Phản ánh quá hạn ({count})", "Overdue reports ({count})"),
    "map.directives_overdue": ("Chỉ đạo quá hạn ({count})", "Overdue directives ({count})"),
    "chart.feedback": ("Phản ánh tiếp nhận và đã giải quyết", "Reports received and resolved"),
    "chart.no_indicator": ("Chưa có chỉ tiêu theo tháng cho địa bàn này",
                           "No monthly indicator for this area"),
    "week": ("T{week:02d}", "W{week:02d}"),  # a week on the trend's axis
}


def text(key: str, language: str = "vi", **values: object) -> str:
    """The words of `key` in `language` ("en", else Vietnamese), with `values` filled in."""
    vi, en = TEXTS[key]
    words = en if language == "en" else vi
    return words.format(**values) if values else words


def days(count: int, language: str = "vi") -> str:
    """'3 ngày', '3 days', '1 day'."""
    return text("day" if count == 1 else "days", language, count=count)


def either(language: str, vi: str, en: str) -> str:
    """`en` in English (when there is one), else `vi`: a name the data holds in both languages."""
    return en if language == "en" and en else vi
