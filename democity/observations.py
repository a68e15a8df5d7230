"""Time series for the generic Observation table: guests, dossiers, air quality, ward indicators."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from democity.admin import COMMUNES
from democity.timeline import Window
from layers.catalog import registry

OCCUPANCY = {"hotel": 0.55, "guesthouse": 0.45, "homestay": 0.35}
GUESTS_BY_WEEKDAY = np.array([0.85, 0.85, 0.9, 0.95, 1.2, 1.5, 1.05])  # Monday … Sunday
DOSSIERS_BY_WEEKDAY = np.array([1.3, 1.05, 1.0, 1.0, 0.9, 0.25, 0.0])
PM25_BASE = {"ENV-01": 32.0, "ENV-02": 26.0, "ENV-03": 40.0, "ENV-04": 35.0}
PM25_BY_HOUR = np.array(
    [
        0.9,
        0.85,
        0.8,
        0.8,
        0.85,
        0.95,
        1.15,
        1.4,
        1.45,
        1.25,
        1.0,
        0.9,
        0.8,
        0.75,
        0.75,
        0.8,
        0.9,
        1.1,
        1.35,
        1.45,
        1.4,
        1.25,
        1.1,
        1.0,
    ]
)
# VN_AQI breakpoints for PM2.5 (µg/m³ → index), Quyết định 1459/QĐ-TCMT
AQI_PM25 = ((0, 0), (25, 50), (50, 100), (80, 150), (150, 200), (250, 300), (350, 400), (500, 500))
MONTHS = 24


def _rows(layer: str, codes: np.ndarray, metric: str, stamps: np.ndarray, values: np.ndarray) -> pd.DataFrame:
    """Long rows for a (features × times) block of values of a metric the layer declares (its
    period from the declaration; KeyError for a metric the catalog does not list)."""
    period = registry.get(layer).metric(metric).period
    return pd.DataFrame(
        {
            "layer": layer,
            "feature_code": np.repeat(codes, len(stamps)),
            "metric": metric,
            "period": period,
            "observed_at": np.tile(stamps, len(codes)),
            "value": np.asarray(values, dtype=float).ravel(),
        }
    )


def _daily_stamps(window: Window) -> np.ndarray:
    return np.asarray([f"{d.isoformat()}T00:00:00+07:00" for d in window.dates()], dtype=object)


def lodging_guests(rng: np.random.Generator, lodging: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Guests per day at each lodging, higher at weekends."""
    capacity = lodging.rooms.to_numpy() * lodging.lodging_type.map(OCCUPANCY).to_numpy() * 1.6
    factor = GUESTS_BY_WEEKDAY[window.weekdays()] * rng.lognormal(0.0, 0.12, window.days)
    guests = rng.poisson(np.outer(capacity, factor) * rng.lognormal(0.0, 0.2, (len(lodging), window.days)))
    return _rows("lodging", lodging.code.to_numpy(), "guests", _daily_stamps(window), guests)


def dossiers(rng: np.random.Generator, points: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Dossiers received and settled on time per day at each service point (none on Sundays)."""
    base = np.where(points.service_level == "province", 180.0, 6.0 * points.counters.to_numpy())
    load = np.outer(base, DOSSIERS_BY_WEEKDAY[window.weekdays()] * rng.lognormal(0.0, 0.1, window.days))
    received = rng.poisson(load)
    on_time = rng.binomial(received, rng.uniform(0.92, 0.995, (len(points), 1)))
    codes, stamps = points.code.to_numpy(), _daily_stamps(window)
    return pd.concat(
        [
            _rows("service_points", codes, "dossiers_received", stamps, received),
            _rows("service_points", codes, "dossiers_on_time", stamps, on_time),
        ]
    )


def vn_aqi(pm25: np.ndarray) -> np.ndarray:
    """VN_AQI of PM2.5 concentrations by linear interpolation between the breakpoints."""
    concentration, index = zip(*AQI_PM25, strict=True)
    return np.round(np.interp(pm25, concentration, index))


def air_quality(rng: np.random.Generator, stations: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Hourly PM2.5 and AQI at the air stations: morning and evening peaks, a dry-season high."""
    air = stations[stations.station_type == "air"]
    hours = window.days * 24
    day_of_year = np.array([d.timetuple().tm_yday for d in window.dates()]).repeat(24)
    season = 1.15 + 0.45 * np.cos(2 * np.pi * (day_of_year - 15) / 365.0)
    shocks = rng.normal(0.0, 0.12, (len(air), hours))
    noise = np.zeros_like(shocks)
    for t in range(1, hours):
        noise[:, t] = 0.92 * noise[:, t - 1] + shocks[:, t]
    base = air.code.map(PM25_BASE).fillna(30.0).to_numpy()[:, None]
    pm25 = np.round(base * season * np.tile(PM25_BY_HOUR, window.days) * np.exp(noise), 1)
    start = np.datetime64(window.start.replace(tzinfo=None), "h")
    stamps = np.char.add(np.datetime_as_string(start + np.arange(hours), unit="s"), "+07:00").astype(object)
    codes = air.code.to_numpy()
    return pd.concat(
        [
            _rows("env_stations", codes, "pm25", stamps, pm25),
            _rows("env_stations", codes, "aqi", stamps, vn_aqi(pm25)),
        ]
    )


def indicator_months(today: date) -> list[date]:
    """The first days of the MONTHS calendar months before the month of `today`, oldest first."""
    first = today.replace(day=1)
    index = first.year * 12 + first.month - 1
    return [date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(MONTHS, 0, -1)]


def ward_indicators(rng: np.random.Generator, today: date) -> pd.DataFrame:
    """Monthly budget revenue, new businesses and poor-household rate of every pre-2025 commune."""
    months = indicator_months(today)
    stamps = np.asarray([f"{m.isoformat()}T00:00:00+07:00" for m in months], dtype=object)
    month_no = np.array([m.month for m in months])
    trend = 1.0 + 0.08 * np.arange(MONTHS) / 12.0
    season = np.where(month_no == 12, 2.2, np.where(month_no == 1, 0.7, 1.0))
    people = np.array([c.population for c in COMMUNES], dtype=float)[:, None]
    urban = np.array([c.urban for c in COMMUNES])[:, None]
    revenue = (
        people
        * np.where(urban, 0.55, 0.18)
        * trend
        * season
        * rng.lognormal(0.0, 0.15, (len(people), MONTHS))
    )
    tet = np.where(np.isin(month_no, (1, 2)), 0.5, 1.0)
    businesses = rng.poisson(people / np.where(urban, 1500.0, 5000.0) * tet)
    start = np.where(urban, rng.uniform(0.4, 1.5, people.shape), rng.uniform(3.0, 9.0, people.shape))
    poor = np.maximum(
        0.1,
        start
        - 0.05 * np.arange(MONTHS) * np.where(urban, 0.2, 1.0)
        + rng.normal(0.0, 0.03, (len(people), MONTHS)),
    )
    codes = np.asarray([c.code for c in COMMUNES], dtype=object)
    return pd.concat(
        [
            _rows("wards", codes, "budget_revenue", stamps, revenue.round(0)),
            _rows("wards", codes, "new_businesses", stamps, businesses),
            _rows("wards", codes, "poor_households_pct", stamps, poor.round(2)),
        ]
    )
