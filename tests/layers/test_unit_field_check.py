"""A layer's `unit_field` names the foreign key to the responsible unit (layers.ResponsibleUnit) that
limits unit staff to their units' features; anything else fails `ioc check` with layers.E013."""

from __future__ import annotations

import dataclasses

import pytest

from layers.checks import layer_errors
from layers.registry import registry


def reports(**changes) -> list:
    return layer_errors(dataclasses.replace(registry.get("citizen_reports"), **changes))


def test_citizen_reports_name_their_unit():
    assert registry.get("citizen_reports").unit_field == "unit"
    assert reports() == []


@pytest.mark.parametrize(("unit_field", "words"), [
    ("handler", ["'handler'", "not a field"]),
    ("responsible_unit", ["'responsible_unit'", "layers.ResponsibleUnit"]),  # the unit's name, as text
    ("ward", ["'ward'", "layers.ResponsibleUnit"]),  # a foreign key, to another model
])
def test_a_unit_field_that_is_not_a_key_to_a_responsible_unit_is_an_error(unit_field, words):
    errors = [error for error in reports(unit_field=unit_field) if error.id == "layers.E013"]
    assert len(errors) == 1, errors
    assert all(word in errors[0].msg for word in ["'citizen_reports'", "unit_field", *words]), errors[0].msg
