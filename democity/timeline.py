"""The 90 days the events cover, the daily and hourly rhythms of the city, and local timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from democity.frame import TZ

WINDOW_DAYS = 90
DAY_S = 86_400
# Relative activity per hour of the day (0–23 h, local time).
HOURLY = {
    "traffic": (
        0.3,
        0.15,
        0.1,
        0.1,
        0.3,
        1.0,
        3.2,
        4.6,
        4.0,
        2.4,
        2.0,
        2.3,
        2.1,
        1.9,
        2.0,
        2.6,
        4.0,
        4.7,
        3.6,
        2.4,
        1.8,
        1.3,
        0.8,
        0.5,
    ),
    "evening": (
        1.5,
        1.0,
        0.6,
        0.3,
        0.2,
        0.2,
        0.4,
        0.6,
        0.8,
        0.9,
        1.0,
        1.1,
        1.1,
        1.0,
        1.0,
        1.1,
        1.3,
        1.6,
        2.2,
        2.8,
        3.2,
        3.3,
        2.8,
        2.1,
    ),
    "night": (
        2.4,
        2.6,
        2.4,
        2.0,
        1.5,
        0.9,
        0.6,
        0.5,
        0.5,
        0.5,
        0.6,
        0.6,
        0.6,
        0.6,
        0.6,
        0.6,
        0.7,
        0.8,
        1.0,
        1.3,
        1.6,
        1.9,
        2.2,
        2.3,
    ),
    "office": (
        0.1,
        0.05,
        0.05,
        0.05,
        0.1,
        0.3,
        1.0,
        2.4,
        3.2,
        3.3,
        3.0,
        2.2,
        1.2,
        1.8,
        2.8,
        3.0,
        2.8,
        2.0,
        1.6,
        1.5,
        1.4,
        1.1,
        0.6,
        0.3,
    ),
    "flat": (
        0.7,
        0.6,
        0.5,
        0.5,
        0.5,
        0.6,
        0.8,
        1.0,
        1.1,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.2,
        1.1,
        1.0,
        0.9,
        0.8,
    ),
}


@dataclass(frozen=True)
class Window:
    """The 90 whole days before `today` (local time): events happen in [start, end)."""

    today: date
    days: int = WINDOW_DAYS

    @property
    def start(self) -> datetime:
        return datetime.combine(self.today - timedelta(days=self.days), time(0), TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.today, time(0), TZ)

    @property
    def seconds(self) -> int:
        return self.days * DAY_S

    def dates(self) -> list[date]:
        """Every day of the window, oldest first."""
        return [self.today - timedelta(days=self.days - k) for k in range(self.days)]

    def weekdays(self) -> np.ndarray:
        """Day of the week (0 = Monday) of each day of the window."""
        return np.array([d.weekday() for d in self.dates()])

    def iso(self, seconds: np.ndarray) -> np.ndarray:
        """ISO 8601 local timestamps ('2025-06-01T07:35:12+07:00') of seconds since the start."""
        base = np.datetime64(self.start.replace(tzinfo=None), "s")
        stamps = base + np.asarray(seconds, dtype="int64").astype("timedelta64[s]")
        return np.char.add(np.datetime_as_string(stamps, unit="s"), "+07:00").astype(object)

    def sample(
        self, rng: np.random.Generator, n: int, hourly: str, day_weights: np.ndarray | None = None
    ) -> np.ndarray:
        """n instants (seconds since the start), following an hourly rhythm and day weights."""
        days = np.ones(self.days) if day_weights is None else np.asarray(day_weights, dtype=float)
        hours = np.asarray(HOURLY[hourly], dtype=float)
        day = rng.choice(self.days, size=n, p=days / days.sum())
        hour = rng.choice(24, size=n, p=hours / hours.sum())
        return day * DAY_S + hour * 3600 + rng.integers(0, 3600, n)

    def weekly(
        self, weekend: float, rng: np.random.Generator | None = None, spread: float = 0.0
    ) -> np.ndarray:
        """Day weights: 1 on weekdays, `weekend` on Saturday and Sunday, with optional noise."""
        weights = np.where(self.weekdays() >= 5, weekend, 1.0)
        if rng is not None and spread:
            weights = weights * rng.lognormal(0.0, spread, self.days)
        return weights
