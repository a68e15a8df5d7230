"""Which days are off: the `holidays` package's Vietnamese holidays (Art. 112 BLLĐ 2019, nghỉ bù under
Art. 111(3), announced swaps), cross-checked against lunar-vn, the Vietnamese (UTC+7) lunar calendar;
lunar-vn supplies Tết and Giỗ Tổ for a year the package lacks."""

from __future__ import annotations

from datetime import date

import holidays
import pytest
from lunar_vn import LunarDate, lunar_to_solar

from workdays.calendar import WorkingCalendar

# /work/shared/DOMAIN.md section 2, with 2025 and 2026 from the Government's notices.
TET = {2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
       2029: date(2029, 2, 13), 2030: date(2030, 2, 2)}
GIO_TO = {2025: date(2025, 4, 7), 2026: date(2026, 4, 26), 2027: date(2027, 4, 16),
          2028: date(2028, 4, 4), 2029: date(2029, 4, 23), 2030: date(2030, 4, 12)}


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def _library_day(year: int, name: str) -> date:
    (day,) = [day for day, names in holidays.country_holidays("VN", years=year, language="vi").items()
              if name in names.split("; ")]
    return day


@pytest.mark.parametrize("year", sorted(TET))
def test_tet_and_gio_to_of_lunar_vn_and_of_the_holidays_package_agree(year):
    assert lunar_to_solar(LunarDate(1, 1, year)) == _library_day(year, "Tết Nguyên Đán") == TET[year]
    gio_to = _library_day(year, "Ngày Giỗ Tổ Hùng Vương")
    assert lunar_to_solar(LunarDate(10, 3, year)) == gio_to == GIO_TO[year]


@pytest.mark.parametrize(("year", "day", "month"), [
    (1985, 1, 1), (2007, 1, 1), (2030, 1, 1), (2053, 1, 1), (2009, 10, 3), (2037, 10, 3), (2038, 10, 3)])
def test_the_years_where_chinese_lunar_tables_err_follow_the_vietnamese_calendar(year, day, month):
    name = "Tết Nguyên Đán" if month == 1 else "Ngày Giỗ Tổ Hùng Vương"
    assert lunar_to_solar(LunarDate(day, month, year)) == _library_day(year, name)


def test_the_2026_days_off_have_their_names_in_vietnamese_and_english(calendar):
    off = {holiday.day: holiday for holiday in calendar.holidays_in(2026)}
    assert [day.isoformat() for day in off if day.weekday() < 5] == [
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27",
        "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02", "2026-11-24"]
    assert off[date(2026, 2, 17)].name_vi == "Tết Nguyên Đán"
    assert off[date(2026, 2, 17)].name_en == "Lunar New Year"
    assert off[date(2026, 11, 24)].name_vi == "Ngày Văn hóa Việt Nam"
    assert off[date(2026, 4, 27)].name_vi == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert off[date(2026, 4, 26)].name_en == "Hung Kings' Commemoration Day"  # a Sunday, listed too


@pytest.mark.parametrize(("holiday", "substitute"), [
    (date(2026, 4, 26), date(2026, 4, 27)),  # Giỗ Tổ on a Sunday
    (date(2027, 5, 1), date(2027, 5, 3)),  # 1/5 on a Saturday
    (date(2028, 1, 1), date(2028, 1, 3)),  # 1/1 on a Saturday
    (date(2028, 4, 30), date(2028, 5, 2)),  # 30/4 on a Sunday, and Monday is 1/5
])
def test_a_holiday_on_a_weekend_gives_the_next_working_day_off(calendar, holiday, substitute):
    assert holiday.weekday() >= 5 and substitute.weekday() < 5
    assert not calendar.is_working_day(substitute)
    assert "nghỉ bù" in {h.day: h for h in calendar.holidays_in(substitute.year)}[substitute].name_vi


def test_a_swapped_saturday_announced_for_2026_is_a_working_day(calendar):
    # Mon 31/8/2026 off (between the weekend and Quốc khánh), worked on Sat 22/8/2026.
    assert calendar.is_working_day(date(2026, 8, 22)) and not calendar.is_working_day(date(2026, 8, 31))
    assert [d.day for d in calendar.swapped_working_days_in(2026)] == [date(2026, 8, 22)]


def test_a_year_the_package_lacks_gets_tet_from_lunar_vn_with_its_substitute_day(calendar):
    assert len(holidays.country_holidays("VN", years=1900)) == 0
    assert lunar_to_solar(LunarDate(1, 1, 1900)) == date(1900, 1, 31)  # a Wednesday
    off = {holiday.day: holiday for holiday in calendar.holidays_in(1900)}
    # the eve and mùng 1–4 (Tue 30/1 to Sat 3/2), and Monday 5/2 for the Saturday (Art. 111(3))
    assert [day.isoformat() for day in off] == [
        "1900-01-30", "1900-01-31", "1900-02-01", "1900-02-02", "1900-02-03", "1900-02-05"]
    assert off[date(1900, 1, 31)].name_vi == "Tết Nguyên Đán"
    assert off[date(1900, 2, 5)].name_vi == "Mùng bốn Tết Nguyên Đán (nghỉ bù)"
    assert {holiday.source for holiday in off.values()} == {"lunar-vn"}
