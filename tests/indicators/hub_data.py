"""A small province of the hub's tests, before and after a reform on 1 July 2025, and its figures.

Old structure (2020-01-01 → 2025-07-01): province T15 «Tỉnh Cũ» → district T132 → communes T001 (A),
T002 (B), T003 (C); district T133 → commune T004 (E). New (2025-07-01 →): province T15 «Tỉnh Mới» →
communes T101 (N1 = A + B + 3/5 of C) and T102 (N2 = 2/5 of C + E); the agency TSTC sits under the
province in force. Shapes are strips of 0.01° by 0.01° far from the demo city, so the area shares of
the split commune C are exactly 0.6 and 0.4.
"""

from __future__ import annotations

from datetime import date

OLD_FROM, REFORM = date(2020, 1, 1), date(2025, 7, 1)
LON, LAT, STEP = 106.5, 20.2, 0.01

# code: (name, level, parent code, valid from, valid to, x from, x to) in STEPs along the strip
UNITS = {
    "old:T15": ("Tỉnh Cũ", "province", None, OLD_FROM, REFORM, 0, 11),
    "T132": ("Huyện Một", "district", "old:T15", OLD_FROM, REFORM, 0, 9),
    "T133": ("Huyện Hai", "district", "old:T15", OLD_FROM, REFORM, 9, 11),
    "T001": ("Xã A", "commune", "T132", OLD_FROM, REFORM, 0, 2),
    "T002": ("Xã B", "commune", "T132", OLD_FROM, REFORM, 2, 4),
    "T003": ("Xã C", "commune", "T132", OLD_FROM, REFORM, 4, 9),
    "T004": ("Xã E", "commune", "T133", OLD_FROM, REFORM, 9, 11),
    "new:T15": ("Tỉnh Mới", "province", None, REFORM, None, 0, 11),
    "T101": ("Phường N1", "commune", "new:T15", REFORM, None, 0, 7),
    "T102": ("Xã N2", "commune", "new:T15", REFORM, None, 7, 11),
}
AGENCY = "TSTC"

# indicator → [(unit key, period kind, period start, value)]
VALUES = {
    "new_businesses": [
        *[
            (u, "month", date(2024, 1, 1), v)
            for u, v in (("T001", 1), ("T002", 2), ("T003", 10), ("T004", 4))
        ],
        *[(u, "month", date(2024, 2, 1), v) for u, v in (("T001", 3), ("T002", 0), ("T003", 5), ("T004", 1))],
        *[(u, "month", date(2025, 1, 1), v) for u, v in (("T001", 2), ("T002", 2), ("T003", 5), ("T004", 2))],
        ("T001", "month", date(2025, 8, 1), 100),  # a stale report of a commune that had ended: never counts
        ("T101", "month", date(2025, 7, 1), 7),
        ("T102", "month", date(2025, 7, 1), 3),
        ("T101", "month", date(2026, 1, 1), 4),
        ("T102", "month", date(2026, 1, 1), 6),
    ],
    "budget_revenue": [
        ("old:T15", "quarter", date(2024, 1, 1), 1000),  # the province's own figure wins over its communes'
        *[
            (u, "quarter", date(2024, 1, 1), v)
            for u, v in (("T001", 100), ("T002", 200), ("T003", 50), ("T004", 80))
        ],
        *[
            (u, "quarter", date(2025, 1, 1), v)
            for u, v in (("T001", 110), ("T002", 210), ("T003", 60), ("T004", 90))
        ],
        *[
            (u, "quarter", date(2025, 4, 1), v)
            for u, v in (("T001", 120), ("T002", 220), ("T003", 70), ("T004", 100))
        ],
        ("T101", "quarter", date(2025, 7, 1), 500),
        ("T102", "quarter", date(2025, 7, 1), 200),
    ],
    "poor_household_rate": [
        *[
            (u, "year", date(2024, 1, 1), v)
            for u, v in (("T001", 10), ("T002", 20), ("T003", 5), ("T004", 30))
        ],
        ("T101", "year", date(2025, 1, 1), 12),
        ("T102", "year", date(2025, 1, 1), 18),
    ],
    "households": [
        *[
            (u, "year", date(2024, 1, 1), v)
            for u, v in (("T001", 100), ("T002", 300), ("T003", 200), ("T004", 100))
        ],
        ("T101", "year", date(2025, 1, 1), 520),
        ("T102", "year", date(2025, 1, 1), 180),
    ],
    "sipas": [
        *[
            (u, "year", date(2024, 1, 1), v)
            for u, v in (("T001", 80), ("T002", 90), ("T003", 70), ("T004", 60))
        ],
        ("new:T15", "year", date(2025, 1, 1), 85),
    ],
    "staff_headcount": [
        (AGENCY, "month", date(2025, 5, 1), 50),
        (AGENCY, "month", date(2025, 6, 1), 52),
        (AGENCY, "month", date(2025, 7, 1), 55),
        (AGENCY, "month", date(2025, 8, 1), 56),
        ("T001", "month", date(2025, 6, 1), 10),
        ("T102", "month", date(2025, 7, 1), 19),
        ("T101", "month", date(2025, 8, 1), 30),
        ("T102", "month", date(2025, 8, 1), 20),
    ],
}
TARGETS = {
    "new_businesses": [("new:T15", "year", date(2025, 1, 1), 30), ("T101", "year", date(2026, 1, 1), 20)],
    "budget_revenue": [
        ("T001", "year", date(2024, 1, 1), 400),  # plans of old communes: their successors' past plans
        ("T003", "year", date(2024, 1, 1), 500),
        ("T101", "quarter", date(2025, 7, 1), 400),
        ("T101", "year", date(2025, 1, 1), 1600),
        ("T102", "quarter", date(2025, 7, 1), 250),
    ],
    "poor_household_rate": [("T101", "year", date(2025, 1, 1), 13)],
}
