"""A small province of the briefings' tests, far from the demo city, with a month of events in it.

Province B15 «Tỉnh Thử Nghiệm» (from 2024) → Phường Đông Hưng Thịnh (B101, west half) and Xã Quỳnh Lưu
(B102, east half). The briefing asked for is February 2026 (monthly) and 2026-W09, 23 February to
1 March 2026 (weekly), made at 07:00 on Monday 2 March 2026 (Asia/Ho_Chi_Minh): the frozen clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LON, LAT, STEP = 107.30, 20.60, 0.02
VALID_FROM = date(2024, 1, 1)
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=VN)  # Monday: the job's scheduled time
MONTH = "2026-02"
WEEK = "2026-W09"

# code: (name, level, parent code, x from, x to) in STEPs
UNITS = {
    "B15": ("Tỉnh Thử Nghiệm", "province", None, 0, 4),
    "B101": ("Phường Đông Hưng Thịnh", "commune", "B15", 0, 2),
    "B102": ("Xã Quỳnh Lưu", "commune", "B15", 2, 4),
}
RESPONSIBLE = "BR-UNIT"
SUBSCRIBER = "lanhdao.tinh.thu"  # a leader with an e-mail address, made by the sending test


def at(day: int, month: int = 2, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VN)


def inside(code: str, n: int) -> tuple[float, float]:
    """A point inside unit `code` (n-th of a small grid)."""
    x_from = UNITS[code][3]
    return LON + (x_from + 0.3 + 0.2 * (n % 5)) * STEP, LAT + (0.3 + 0.1 * (n // 5)) * STEP


# (code, commune, received, due, resolved, status)
REPORTS = [
    ("BR-1", "B101", at(3), at(10), at(9), "resolved"),
    ("BR-2", "B101", at(5), at(12), None, "assigned"),  # overdue
    ("BR-3", "B101", at(24), at(27), None, "in_progress"),  # overdue
    ("BR-4", "B102", at(25), at(6, 3), None, "assigned"),  # open, not yet due
    ("BR-5", "B102", at(26), at(2, 3), at(27), "resolved"),
    ("BR-6", "B102", at(20, 1), at(28, 1), None, "received"),  # overdue since January
    ("BR-7", "B101", at(10, 1), at(20, 1), at(4), "resolved"),  # received in January, resolved in February
    ("BR-8", "B102", at(3, 3), at(10, 3), None, "received"),  # after the month: never counted
]
# (code, commune, issued, due, done, status)
DIRECTIVES = [
    ("BC-1", "B101", at(2), at(20), None, "acknowledged"),  # overdue
    ("BC-2", "B102", at(10), at(3, 4), None, "issued"),  # open
    ("BC-3", "B102", at(4), at(14), at(13), "done"),
    ("BC-4", "B101", at(25), at(27), None, "in_progress"),  # overdue
]
# (code, commune, reported, severity)
INCIDENTS = [
    ("BI-1", "B101", at(6), "high"),
    ("BI-2", "B102", at(24), "low"),
    ("BI-3", "B102", at(27), "critical"),
    ("BI-4", "B101", at(15, 1), "medium"),  # January
]
# new businesses by month: (commune, month start, value)
NEW_BUSINESSES = [
    *[("B101", date(2025, m, 1), m) for m in range(1, 13)],
    *[("B102", date(2025, m, 1), 2) for m in range(1, 13)],
    ("B101", date(2026, 1, 1), 5), ("B102", date(2026, 1, 1), 4),
    ("B101", date(2026, 2, 1), 9), ("B102", date(2026, 2, 1), 6),
]
YEAR_PLAN = ("B15", date(2026, 1, 1), 120)  # the province's plan of new businesses for 2026


def week_start() -> date:
    return date(2026, 2, 23)


def week_end() -> date:
    return week_start() + timedelta(days=7)
