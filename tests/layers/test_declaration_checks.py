"""A mistake in a layer's declaration fails `ioc check` (and every start) with the layer and the
field named, before any request can meet it."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from layers import labels
from layers.checks import layer_errors
from layers.registry import Deadline, Kpi, Metric, Style, Workflow, registry


def parcels(**changes) -> list:
    return layer_errors(dataclasses.replace(registry.get("parcels"), **changes))


def test_every_declared_layer_passes_the_checks():
    assert [error for layer in registry for error in layer_errors(layer)] == []


@pytest.mark.parametrize(("changes", "code", "words"), [
    ({"model": "layers.Nowhere"}, "layers.E001", ["'parcels'", "layers.Nowhere"]),
    ({"public_fields": ("sheet_no", "colour")}, "layers.E002", ["'parcels'", "public_fields", "'colour'"]),
    ({"key": ("ward", "sheet")}, "layers.E002", ["key", "'sheet'"]),
    ({"time_field": "recorded_at"}, "layers.E002", ["time_field", "'recorded_at'"]),
    ({"style": registry.get("incidents").style}, "layers.E002", ["style.by", "'severity'"]),
    ({"time_role": "sometimes"}, "layers.E005", ["time_role", "'sometimes'"]),
    ({"geometry_type": "Circle"}, "layers.E006", ["'Circle'"]),
    ({"metrics": (Metric("m", "m", "m", "x", "week"),)}, "layers.E007", ["metric 'm'", "'week'"]),
    ({"edit_fields": ("geom",)}, "layers.E008", ["edit_fields", "'geom'"]),
    ({"workflow": Workflow({"received": frozenset({"done"})})}, "layers.E009", ["workflow", "'status'"]),
    ({"deadline": Deadline()}, "layers.E009", ["deadline", "without a workflow"]),
    ({"kpis": (Kpi("k", "k", "k", kind="average"),)}, "layers.E010", ["kpi 'k'", "'average'"]),
    ({"kpis": (Kpi("k", "k", "k", kind="metric", field="guests"),)}, "layers.E010", ["kpi 'k'", "'guests'"]),
    ({"kpis": (Kpi("k", "k", "k", kind="overdue"),)}, "layers.E010", ["kpi 'k'", "deadline"]),
    ({"kpis": (Kpi("k", "k", "k", kind="sum", field="depth", by="land_use"),)}, "layers.E010",
     ["kpi 'k'", "field 'depth'"]),
    ({"kpis": (Kpi("k", "k", "k", by="colour"),)}, "layers.E010", ["kpi 'k'", "by 'colour'"]),
    ({"kpis": (Kpi("k", "k", "k", statuses=("open",)),)}, "layers.E010", ["kpi 'k'", "'open'"]),
    ({"style": Style("fill", "#fff", renderers=("sparkles",))}, "layers.E012", ["'sparkles'"]),
    ({"style": Style("fill", "#fff", renderers=("fov_cones",))}, "layers.E012",
     ["fov_cones", "'bearing_deg'"]),
    ({"demo": "democity.nowhere:parcels"}, "layers.E011", ["demo", "democity.nowhere"]),
    ({"demo": "democity.generator:no_such_function"}, "layers.E011", ["no_such_function"]),
])
def test_a_wrong_declaration_is_named_by_layer_and_field(changes, code, words):
    errors = parcels(**changes)
    assert code in [error.id for error in errors], errors
    message = next(error.msg for error in errors if error.id == code)
    assert all(word in message for word in words), message


def test_a_vocabulary_that_differs_from_the_models_choices_is_an_error():
    incidents = registry.get("incidents")
    style = dataclasses.replace(incidents.style, by="status")  # severity's vocabulary on the status field
    errors = layer_errors(dataclasses.replace(incidents, style=style))
    assert [error.id for error in errors] == ["layers.E004"]
    assert "'status'" in errors[0].msg and "'severity'" in errors[0].msg


def test_removing_a_label_fails_ioc_check_naming_the_layer_and_the_field(monkeypatch):
    monkeypatch.delitem(labels.FIELD_LABELS, "sheet_no")
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")
    assert "layers.E003" in str(failure.value)
    assert "layer 'parcels': field 'sheet_no' has no Vietnamese and English label" in str(failure.value)


def test_a_label_declared_by_the_layer_is_enough_and_removing_it_fails_the_check(monkeypatch):
    monkeypatch.delitem(labels.FIELD_LABELS, "sheet_no")
    declared = {"sheet_no": ("Số tờ bản đồ", "Map sheet no.")}
    assert parcels(labels=declared) == []
    assert [error.id for error in parcels(labels={})] == ["layers.E003"]
