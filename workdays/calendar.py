"""Working days and office hours in Việt Nam, and deadlines counted in them (pure logic, no database).

Definitions (time zone Asia/Ho_Chi_Minh, UTC+7 without daylight saving; every datetime given must be
aware, every datetime returned is in that zone):

- A *working day* is a day of the office schedule's weekdays (Monday–Friday) that is not a day off, or a
  day entered as working (a Saturday worked in an announced swap). Days off are the `holidays` package's
  Vietnamese holidays (Bộ luật Lao động 2019 Art. 112; nghỉ bù under Art. 111(3); the swaps it knows),
  lunar-vn's Tết and Giỗ Tổ for a year the package lacks, and the days entered as off. An entered day
  (a `DayDecision`, stored as a `CalendarDay` row) wins over everything else.
- *Working time* is the office sessions of working days (07:30–11:30 and 13:30–17:00 unless entered
  otherwise, from a date: `OfficeSchedule`).
- *N working hours* from an instant end at the earliest instant at which N hours of working time have
  passed since it: 8 hours from Friday 16:00 end on Monday at 16:30; hours that fill a session exactly end
  at its closing (11:30, 17:00), not at the next opening.
- *N working days*: the day of receipt is the instant's day if that is a working day and the instant is
  before its closing time (17:00), else the next working day (a report received on Friday at 17:00 or
  later, or on Saturday, is received on Monday). The deadline is the closing time of the Nth working day
  after the day of receipt; 0 days is the closing time of the day of receipt. The day of receipt itself
  is not counted, as the Civil Code 2015 (Art. 147) counts periods in days.
- *Pauses* (waiting for the citizen) stop the clock: working time inside them does not count, and a
  deadline with pauses is the earliest instant at which the working time outside them equals the
  working time from the start to the deadline without pauses.
- *Fraction used* is the working time passed outside pauses over the working time from the start to the
  deadline as first set (without pauses): it stands still during a pause and reaches 1.0 at the moved
  deadline. 0.75 is the warning, 1.0 the breach.

Each year's days are worked out once per calendar (`_year`), so a deadline asks nothing per day.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from lunar_vn import LunarDate, lunar_to_solar

logger = logging.getLogger(__name__)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Interval = tuple[datetime, datetime]

MORNING = (time(7, 30), time(11, 30))  # [U] office hours by default; entered per date as OfficeHours rows
AFTERNOON = (time(13, 30), time(17))
WEEKDAYS = "12345"  # [U] ISO weekdays worked: Monday–Friday (civil service: Saturday and Sunday off)

LIBRARY_SOURCE = f"holidays {holidays.__version__}"
LUNAR_SOURCE = "lunar-vn"
ENTERED_SOURCE = "CalendarDay"
SUBSTITUTE_SUFFIX = (" (nghỉ bù)", " (observed)")
SWAPPED_NAME = ("Ngày làm việc bù (hoán đổi)", "Swapped working day")
# Art. 112: Tết Âm lịch, 5 days; when the package lacks a year, the eve and the first four days.
LUNAR_TET = (
    (-1, "Giao thừa Tết Nguyên Đán", "Lunar New Year's Eve"),
    (0, "Tết Nguyên Đán", "Lunar New Year"),
    (1, "Mùng hai Tết Nguyên Đán", "Second Day of Lunar New Year"),
    (2, "Mùng ba Tết Nguyên Đán", "Third Day of Lunar New Year"),
    (3, "Mùng bốn Tết Nguyên Đán", "Fourth Day of Lunar New Year"),
)
GIO_TO = ("Ngày Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day")  # 10/3 âm lịch
GIO_TO_SINCE = 2007
SEARCH_YEARS = 10  # a calendar without a working day in ten years is refused, not searched forever


class CalendarError(ValueError):
    """A calendar question that cannot be answered: a naive datetime, an unknown unit, no working day."""


@dataclass(frozen=True)
class NamedDay:
    """A day off (or a swapped working day) with its names and where it comes from."""

    day: date
    name_vi: str
    name_en: str
    source: str


@dataclass(frozen=True)
class DayDecision:
    """A day entered by an administrator: working or not, whatever the rules say (a `CalendarDay` row)."""

    day: date
    working: bool
    name_vi: str = ""
    name_en: str = ""
    source: str = ""


@dataclass(frozen=True)
class OfficeSchedule:
    """Office hours from `valid_from` on: the ISO weekdays worked and the sessions of a working day."""

    valid_from: date
    weekdays: frozenset[int]
    sessions: tuple[tuple[time, time], ...]


DEFAULT_SCHEDULE = OfficeSchedule(date.min, frozenset(int(d) for d in WEEKDAYS), (MORNING, AFTERNOON))


@dataclass(frozen=True)
class _Year:
    off: dict[date, NamedDay]
    swapped: dict[date, NamedDay]
    working: tuple[date, ...]  # sorted
    working_set: frozenset[date]


def official_days(year: int) -> tuple[dict[date, NamedDay], set[date]]:
    """The `holidays` package's days off in `year` (names in Vietnamese and English) and its weekend days
    worked in a swap; Tết and Giỗ Tổ from lunar-vn when the package has nothing for the year."""
    years = (year - 1, year, year + 1)  # a swap may be announced with the year before or after
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    off = {day: NamedDay(day, name, en.get(day, name), LIBRARY_SOURCE)
           for day, name in sorted(vi.items()) if day.year == year}
    worked = {day for day in vi.weekend_workdays if day.year == year}
    return (off or lunar_days(year)), worked


def lunar_days(year: int) -> dict[date, NamedDay]:
    """Tết (the eve and mùng 1–4) and, since 2007, Giỗ Tổ in `year` from lunar-vn (UTC+7), each on a
    Saturday or Sunday giving the next working day off (Art. 111(3))."""
    try:
        tet = lunar_to_solar(LunarDate(1, 1, year))
        gio_to = lunar_to_solar(LunarDate(10, 3, year))
    except ValueError:
        logger.warning("no holidays for %s: neither the holidays package nor lunar-vn covers it", year)
        return {}
    named = [NamedDay(tet + timedelta(days=offset), vi, en, LUNAR_SOURCE) for offset, vi, en in LUNAR_TET]
    if year >= GIO_TO_SINCE:
        named.append(NamedDay(gio_to, *GIO_TO, LUNAR_SOURCE))
    off = {entry.day: entry for entry in named}
    for entry in named:
        if entry.day.isoweekday() > 5:
            substitute = entry.day + timedelta(days=1)
            while substitute.isoweekday() > 5 or substitute in off:
                substitute += timedelta(days=1)
            off[substitute] = NamedDay(substitute, entry.name_vi + SUBSTITUTE_SUFFIX[0],
                                       entry.name_en + SUBSTITUTE_SUFFIX[1], LUNAR_SOURCE)
    return dict(sorted(off.items()))


def _local(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise CalendarError(f"{instant} has no time zone: give an aware datetime (Asia/Ho_Chi_Minh)")
    return instant.astimezone(VN)


def _merged(pauses: Iterable[Interval]) -> list[Interval]:
    """Pauses in Việt Nam time, sorted, overlapping ones merged, empty ones dropped."""
    merged: list[Interval] = []
    for begin, end in sorted((_local(a), _local(b)) for a, b in pauses):
        if end <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _outside(intervals: Iterator[Interval], cuts: list[Interval]) -> Iterator[Interval]:
    """The parts of increasing, disjoint intervals that lie outside sorted, disjoint cuts."""
    first = 0
    for begin, end in intervals:
        while first < len(cuts) and cuts[first][1] <= begin:
            first += 1
        index = first
        while index < len(cuts) and cuts[index][0] < end:
            if cuts[index][0] > begin:
                yield begin, cuts[index][0]
            begin = max(begin, cuts[index][1])
            index += 1
        if begin < end:
            yield begin, end


class WorkingCalendar:
    """Working days and hours, and deadlines counted in them (definitions in the module docstring).

    >>> calendar = WorkingCalendar()
    >>> calendar.add_working(datetime(2026, 3, 6, 16, tzinfo=VN), 8, "hours")
    datetime.datetime(2026, 3, 9, 16, 30, tzinfo=zoneinfo.ZoneInfo(key='Asia/Ho_Chi_Minh'))
    """

    def __init__(self, decisions: Iterable[DayDecision] = (),
                 schedules: Sequence[OfficeSchedule] = (DEFAULT_SCHEDULE,)) -> None:
        self._decisions = {decision.day: decision for decision in decisions}
        self._schedules = sorted(schedules, key=lambda schedule: schedule.valid_from) or [DEFAULT_SCHEDULE]
        self._starts = [schedule.valid_from for schedule in self._schedules]
        self._years: dict[int, _Year] = {}
        self._units: dict[str, Callable[[datetime, int], datetime]] = {
            "hours": lambda start, amount: self.add_working_time(start, timedelta(hours=amount)),
            "days": self._after_working_days,
        }

    # days

    def schedule_on(self, day: date) -> OfficeSchedule:
        """The office schedule in force on `day` (the earliest one also covers the days before it)."""
        return self._schedules[max(bisect.bisect_right(self._starts, day) - 1, 0)]

    def is_working_day(self, day: date) -> bool:
        return day in self._year(day.year).working_set

    def holidays_in(self, year: int) -> list[NamedDay]:
        """The named days off of `year`, sorted, those on a Saturday or Sunday included."""
        return list(self._year(year).off.values())

    def swapped_working_days_in(self, year: int) -> list[NamedDay]:
        """The days of `year` worked although they are weekend days or holidays otherwise (swaps)."""
        return list(self._year(year).swapped.values())

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        for year in range(day.year, day.year + SEARCH_YEARS):
            days = self._year(year).working
            if (index := bisect.bisect_right(days, day)) < len(days):
                return days[index]
        raise CalendarError(f"no working day in the {SEARCH_YEARS} years after {day}")

    def day_of_receipt(self, instant: datetime) -> date:
        """The working day something received at `instant` counts from (the next one after closing time)."""
        instant = _local(instant)
        day = instant.date()
        if self.is_working_day(day) and instant < self._closing(day):
            return day
        return self.next_working_day(day)

    # working time

    def add_working(self, start: datetime, amount: int, unit: str,
                    pauses: Iterable[Interval] = ()) -> datetime:
        """The deadline `amount` working hours or days (`unit`: "hours" | "days") after `start`, moved
        on by the working time inside `pauses`."""
        count = self._units.get(unit)
        if count is None:
            raise CalendarError(f"unit must be hours or days, not {unit!r}")
        if amount < 0:
            raise CalendarError(f"a deadline cannot be {amount} {unit} (negative)")
        deadline = count(_local(start), amount)
        pauses = list(pauses)
        if not pauses:
            return deadline
        return self.add_working_time(start, self.working_between(start, deadline), pauses)

    def add_working_time(self, start: datetime, duration: timedelta,
                         pauses: Iterable[Interval] = ()) -> datetime:
        """The earliest instant at which `duration` of working time outside `pauses` has passed since
        `start`."""
        start = _local(start)
        if duration < timedelta(0):
            raise CalendarError(f"working time cannot be negative ({duration})")
        remaining = duration
        if not remaining:
            return start
        for begin, end in _outside(self._working_intervals(start), _merged(pauses)):
            if end - begin >= remaining:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("working intervals never run out")  # pragma: no cover

    def working_between(self, start: datetime, end: datetime, pauses: Iterable[Interval] = ()) -> timedelta:
        """The working time from `start` to `end` outside `pauses` (zero if `end` is not after `start`)."""
        start, end = _local(start), _local(end)
        total = timedelta(0)
        if end <= start:
            return total
        for begin, finish in _outside(self._working_intervals(start), _merged(pauses)):
            if begin >= end:
                break
            total += min(finish, end) - begin
        return total

    def fraction_used(self, start: datetime, deadline: datetime, now: datetime,
                      pauses: Iterable[Interval] = ()) -> float:
        """The share of the working time from `start` to `deadline` (as first set, without pauses) that
        has passed by `now` outside `pauses`: 0.75 is the warning, 1.0 the breach."""
        budget = self.working_between(start, deadline)
        if not budget:
            return 1.0 if _local(now) >= _local(deadline) else 0.0
        return self.working_between(start, now, pauses) / budget

    # inside

    def _after_working_days(self, start: datetime, amount: int) -> datetime:
        day = self.day_of_receipt(start)
        for _ in range(amount):
            day = self.next_working_day(day)
        return self._closing(day)

    def _closing(self, day: date) -> datetime:
        return datetime.combine(day, self.schedule_on(day).sessions[-1][1], VN)

    def _working_intervals(self, start: datetime) -> Iterator[Interval]:
        """The office sessions from `start` on (the first one cut at `start`), without end."""
        day = start.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for opening, closing in self.schedule_on(day).sessions:
                begin, end = datetime.combine(day, opening, VN), datetime.combine(day, closing, VN)
                if end > start:
                    yield max(begin, start), end
            day = self.next_working_day(day)

    def _year(self, year: int) -> _Year:
        if (table := self._years.get(year)) is None:
            table = self._years[year] = self._build_year(year)
        return table

    def _build_year(self, year: int) -> _Year:
        off, worked = official_days(year)
        swapped = {day: NamedDay(day, *SWAPPED_NAME, LIBRARY_SOURCE) for day in sorted(worked)}
        for day, decision in self._decisions.items():
            if day.year == year:
                off.pop(day, None)
                swapped.pop(day, None)
                entry = NamedDay(day, decision.name_vi, decision.name_en or decision.name_vi,
                                 decision.source or ENTERED_SOURCE)
                (swapped if decision.working else off)[day] = entry
        first = date(year, 1, 1)
        days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
        working = tuple(day for day in days if day in swapped or (
            day not in off and day.isoweekday() in self.schedule_on(day).weekdays))
        return _Year(dict(sorted(off.items())), dict(sorted(swapped.items())), working, frozenset(working))
