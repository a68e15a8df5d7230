"""The demo's epidemic watch: every commune every day of six weeks, counts from 1 to 4 among them, the sites,
the incidence series without the hidden days, and the demo's alert rule over it (democity.health)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from health.demo import OUTBREAK_DAYS
from health.models import EpidemicDay, IsolationSite, VaccinationSite
from layers.models import AdminUnit, Observation
from spatial.params import LOCAL_TZ

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def watch(db):
    from alerts.models import AlertRule
    from democity import health

    AlertRule.objects.update(active=False)
    AlertRule.objects.filter(code=health.RULE["code"]).delete()  # the demo's own, declared again here
    EpidemicDay.objects.all().delete()
    IsolationSite.objects.all().delete()
    VaccinationSite.objects.all().delete()
    health.load(TODAY)
    return AlertRule.objects.get(code=health.RULE["code"])


def test_the_outbreak_covers_every_commune_every_day_with_small_counts_among_them(watch):
    communes = AdminUnit.objects.valid_on(TODAY).communes().count()
    rows = EpidemicDay.objects.filter(disease="dengue")
    assert rows.count() == communes * OUTBREAK_DAYS
    assert rows.filter(new_cases__gte=1, new_cases__lte=4).count() >= 10
    assert rows.filter(cases_7d__gte=5).exists() and rows.filter(incidence_band="very_high").exists()
    assert (IsolationSite.objects.count(), VaccinationSite.objects.count()) == (3, communes)


def test_the_incidence_series_leaves_out_the_hidden_days(watch):
    values = Observation.objects.filter(layer="epidemic_cases", metric="incidence_7d")
    published = set(values.values_list("feature_id", flat=True))
    hidden = set(EpidemicDay.objects.filter(cases_7d__gte=1, cases_7d__lte=4).values_list("pk", flat=True))
    assert published and not published & hidden
    assert len(published) == EpidemicDay.objects.exclude(pk__in=hidden).count()


def test_the_demo_rule_alerts_on_the_communes_above_100_per_100000_today(watch):
    from alerts.evaluate import evaluate_rule

    evaluate_rule(watch, datetime.combine(TODAY, time(18), LOCAL_TZ), quiet=True)
    above = EpidemicDay.objects.filter(day=TODAY, incidence_7d__gt=100, cases_7d__gte=5)
    expected = sorted(f"feature:{pk}" for pk in above.values_list("pk", flat=True))
    assert expected and sorted(watch.alerts.values_list("subject", flat=True)) == expected
