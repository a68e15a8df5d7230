"""layers.E021: a SmallCounts declaration names whole-number fields, rates of them, and hides something."""

from __future__ import annotations

import dataclasses

import pytest

from layers.checks import layer_errors
from layers.registry import Kpi, SmallCounts, registry


def errors(**changes: object) -> list[str]:
    layer = dataclasses.replace(registry.get("epidemic_cases"), **changes)
    return [error.msg for error in layer_errors(layer) if error.id == "layers.E021"]


def test_the_epidemic_layer_declares_its_small_counts_correctly():
    assert errors() == []


@pytest.mark.parametrize(("small", "expected"), [
    (SmallCounts(fields=("commune_name",)),
     "'commune_name' is not a whole-number field of health.EpidemicDay"),
    (SmallCounts(fields=("new_cases",), rates={"incidence_7d": "cases_7d"}),
     "rate 'incidence_7d' is computed from 'cases_7d', which is not one of its fields"),
    (SmallCounts(fields=("new_cases",), rates={"rate": "new_cases"}), "rate 'rate' is not a field"),
    (SmallCounts(fields=("new_cases",), below=1), "below=1 hides nothing"),
])
def test_a_wrong_declaration_is_named(small, expected):
    [message] = errors(small_counts=small)
    assert message.startswith("layer 'epidemic_cases': small_counts: ")
    assert expected in message


def test_a_mean_of_a_hidden_count_is_refused():
    kpi = Kpi("mean_cases", "Trung bình", "Mean", kind="mean", field="new_cases")
    [message] = errors(kpis=(kpi,))
    assert "KPI 'mean_cases' takes the mean of 'new_cases', a hidden count" in message
