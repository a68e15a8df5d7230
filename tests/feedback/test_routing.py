"""Routing: a report goes to the unit that handles its category where it was made.

Order: a rule for this category in this commune; else a rule for this category anywhere; else the
active unit whose jurisdiction holds the commune and whose categories hold the category (a commune's
committee before a department); else nobody (it waits for an operator).
"""

from __future__ import annotations

import pytest

from feedback.models import RoutingRule
from feedback.routing import route
from layers.models import AdminUnit, ResponsibleUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes() -> tuple[AdminUnit, AdminUnit]:
    """Two communes in force, with the demo's own units and rules set aside for the test."""
    ResponsibleUnit.objects.update(active=False)
    RoutingRule.objects.all().delete()
    today = AdminUnit.objects.communes().filter(valid_to__isnull=True).order_by("code")
    return today[0], today[1]


def unit(code: str, kind: str, categories: list[str], wards: list[AdminUnit],
         active: bool = True) -> ResponsibleUnit:
    created = ResponsibleUnit.objects.create(code=code, name=code, unit_kind=kind, categories=categories,
                                             active=active)
    created.wards.set(wards)
    return created


def test_a_rule_for_the_commune_wins_over_a_rule_for_the_category(communes):
    here, there = communes
    roads = unit("T-SXD", "department", ["infrastructure"], [])
    ward_team = unit("T-UBND", "commune", [], [here])
    RoutingRule.objects.create(category="infrastructure", unit=roads)
    RoutingRule.objects.create(category="infrastructure", ward=here, unit=ward_team)

    assert route("infrastructure", here) == ward_team
    assert route("infrastructure", there) == roads


def test_without_rules_the_unit_serving_the_commune_and_category_takes_it_committee_first(communes):
    here, there = communes
    department = unit("T-STNMT", "department", ["environment"], [here, there])
    committee = unit("T-UBND", "commune", ["environment", "public_order"], [here])

    assert route("environment", here) == committee
    assert route("environment", there) == department
    assert route("land", here) is None  # nobody handles land there: an operator assigns it


def test_an_inactive_unit_is_never_chosen(communes):
    here, _there = communes
    closed = unit("T-OLD", "commune", ["environment"], [here], active=False)
    RoutingRule.objects.create(category="environment", ward=here, unit=closed)
    assert route("environment", here) is None


def test_a_units_shape_is_the_union_of_its_communes(communes):
    here, there = communes
    both = unit("T-BOTH", "department", [], [here, there])
    both.refresh_shape()
    both.refresh_from_db()
    assert both.geom.geom_type == "MultiPolygon"
    assert both.geom.area == pytest.approx(here.geom.union(there.geom).area, rel=1e-9)
