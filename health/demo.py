"""The demo city's epidemic watch (synthetic): a dengue outbreak over six weeks in the demo's communes,
isolation and vaccination sites, and the alert-ready incidence series; loaded after the communes.

`load(today)` writes one row per commune per day (0 included: how many rows there are says nothing),
derives the 7-day figures in SQL (health.series) and publishes the incidence series. A few communes
stay small, so that the layer holds counts from 1 to 4, which anonymous users see as "< 5". The same
(seed, today) gives the same figures.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from django.db import transaction

from health.models import EpidemicDay, IsolationSite, VaccinationSite
from health.series import derive, publish_incidence
from layers.models import AdminUnit

OUTBREAK_DAYS = 42  # six weeks ending on the demo's day
PEAK_DAY = 30  # the day of the outbreak's peak, counted from its first day
SPREAD_DAYS = 8.0  # the width of the epidemic curve (days, a Gaussian's sigma)
# the expected new cases a day at the peak, by the communes' order of size (the largest first); the
# communes past this list get the last value: small outbreaks, counts from 1 to 4
PEAK_CASES = (18.0, 12.0, 8.0, 5.0, 1.5, 0.8)
DISEASE = "dengue"


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method: the means here stay small)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def outbreak(communes: list[AdminUnit], today: date, seed: int = 2025) -> list[EpidemicDay]:
    """The outbreak's rows: every commune, every day of the OUTBREAK_DAYS ending `today`."""
    rng = random.Random(f"{seed}:epidemic")
    first = today - timedelta(days=OUTBREAK_DAYS - 1)
    ranked = sorted(communes, key=lambda unit: (-(unit.population or 0), unit.code))
    rows = []
    for rank, unit in enumerate(ranked):
        peak = PEAK_CASES[min(rank, len(PEAK_CASES) - 1)]
        shift = rng.uniform(-4, 4)
        for n in range(OUTBREAK_DAYS):
            mean = peak * math.exp(-(((n - PEAK_DAY - shift) / SPREAD_DAYS) ** 2) / 2)
            rows.append(EpidemicDay(commune=unit, commune_name=unit.name, disease=DISEASE,
                                    day=first + timedelta(days=n), new_cases=_poisson(rng, mean),
                                    population=unit.population, geom=unit.geom))
    return rows


CITY = "thành phố Yên Bái"
ISOLATION = (("CL-01", "Khu cách ly tập trung Trường Chính trị tỉnh", 180, 62),
             ("CL-02", "Khu cách ly Bệnh viện Đa khoa thành phố", 60, 41),
             ("CL-03", "Khu cách ly Ký túc xá Cao đẳng Y tế", 120, 18))
VACCINATION = (("TC-01", "Điểm tiêm Trạm y tế phường", 300),
               ("TC-02", "Điểm tiêm Nhà văn hoá tổ dân phố", 200),
               ("TC-03", "Điểm tiêm Trường tiểu học", 250), ("TC-04", "Điểm tiêm lưu động", 120),
               ("TC-05", "Điểm tiêm Trung tâm Y tế thành phố", 400))


def _inner_centre(unit: AdminUnit) -> object:
    centre = unit.geom.centroid
    return centre if unit.geom.contains(centre) else unit.geom.point_on_surface


def sites(communes: list[AdminUnit], today: date) -> tuple[list[IsolationSite], list[VaccinationSite]]:
    """Isolation sites in the three largest communes, a vaccination site in each commune (at its
    centroid when the centroid lies inside it, away from the isolation site at its point on surface)."""
    ranked = sorted(communes, key=lambda unit: (-(unit.population or 0), unit.code))
    isolation = [IsolationSite(code=code, name=name, address=f"{unit.name}, {CITY}", capacity=beds,
                               occupancy=used, opened_on=today - timedelta(days=20 + 3 * n), ward=unit,
                               geom=unit.geom.point_on_surface)
                 for n, ((code, name, beds, used), unit) in enumerate(zip(ISOLATION, ranked, strict=False))]
    vaccination = [VaccinationSite(code=code, name=f"{name} {unit.name}", address=f"{unit.name}, {CITY}",
                                   capacity=doses, doses_given=doses * (12 + 2 * n),
                                   opened_on=today - timedelta(days=18 + n), ward=unit,
                                   geom=_inner_centre(unit))
                   for n, ((code, name, doses), unit) in enumerate(zip(VACCINATION, ranked, strict=False))]
    return isolation, vaccination


def load(today: date, seed: int = 2025) -> int:
    """The epidemic watch of the demo city on `today` (the communes in force that day); the rows written."""
    communes = list(AdminUnit.objects.valid_on(today).communes().order_by("code"))
    with transaction.atomic():
        rows = EpidemicDay.objects.bulk_create(outbreak(communes, today, seed), batch_size=2_000)
        derive(rows[0].day if rows else today)
        publish_incidence()
        isolation, vaccination = sites(communes, today)
        IsolationSite.objects.bulk_create(isolation)
        VaccinationSite.objects.bulk_create(vaccination)
    return len(rows) + len(isolation) + len(vaccination)
